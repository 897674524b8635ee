import { z } from 'zod';
import { parseFxTable } from './domain/normalise-money';
import { parseOffset } from './domain/normalise-timestamp';

const ms = (def: number) => z.coerce.number().int().min(0).default(def);
const positive = (def: number) => z.coerce.number().int().min(1).default(def);

/** Parses `tenant-a:u1|u2;tenant-b:u3` into tenant → user ids. */
export function parseTestAccounts(spec: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9][a-z0-9_-]*):(.+)$/.exec(part);
    if (!m) throw new Error(`bad TEST_ACCOUNTS entry ${JSON.stringify(part)}: expected tenant:user1|user2`);
    out[m[1]] = [...(out[m[1]] ?? []), ...m[2].split('|').map((u) => u.trim()).filter(Boolean)];
  }
  return out;
}

function parsed<T>(parse: (s: string) => T) {
  return z.string().transform((s, ctx) => {
    try {
      return parse(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
      return z.NEVER;
    }
  });
}

/** Cleaning's own environment (merged with the platform's); documented in .env.example and the README. */
export const cleaningConfigSchema = z.object({
  DEDUP_WINDOW_MS: positive(24 * 3600_000),
  FINGERPRINT_BUCKET_MS: positive(2000),
  /** Types a user repeats on purpose within seconds (likes, comments…): fingerprinted on the exact occurredAt, not the bucket. */
  FINGERPRINT_EXACT_TYPES: z
    .string()
    .default('live.like,live.comment.posted,live.gift.sent,live.shared,live.product.clicked')
    .transform((s) => new Set(s.split(',').map((t) => t.trim()).filter(Boolean))),
  FX_TO_CNY: parsed(parseFxTable).default(parseFxTable('USD=7.1,EUR=7.8,GBP=9.1,HKD=0.91,JPY=0.047')),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').default('CNY'),
  NAIVE_TIME_OFFSET: z
    .string()
    .transform((s, ctx) => {
      const v = parseOffset(s);
      if (v === null) {
        ctx.addIssue({ code: 'custom', message: 'expected +HH:MM, -HH:MM or Z' });
        return z.NEVER;
      }
      return v;
    })
    .default(480),
  ON_TIME_MS: ms(5 * 60_000),
  ALLOWED_LATENESS_MS: ms(3 * 24 * 3600_000),
  FUTURE_SKEW_MS: ms(120_000),
  MAX_EVENT_BYTES: positive(64 * 1024),
  MAX_SESSION_SEC: positive(24 * 3600),
  TEST_ACCOUNTS: parsed(parseTestAccounts).default({}),
  TEST_ACCOUNTS_REFRESH_MS: positive(10_000),
  /** Reload of the erasure tombstones from Postgres (how soon a replica that did not consume an erasure honours it). */
  ERASED_USERS_REFRESH_MS: positive(10_000),
  BOT_RATE_WINDOW_MS: positive(10_000),
  BOT_RATE_MAX: positive(30),
  BOT_REPEAT_WINDOW_MS: positive(60_000),
  BOT_REPEAT_MAX: positive(3),
  BOT_LIKE_WINDOW_MS: positive(10_000),
  BOT_LIKE_MAX: positive(300),
  CLEANING_BATCH_SIZE: positive(500),
  /** Partitions of ingest.raw.v1 cleaned at the same time by one instance (their I/O waits overlap). */
  CLEANING_PARTITIONS_CONCURRENTLY: positive(3),
});

export type CleaningConfig = z.infer<typeof cleaningConfigSchema>;
