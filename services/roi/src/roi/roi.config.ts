import { z } from 'zod';
import type { AmountCap, LedgerSettings } from './domain/ledger-entry';

/** Service-specific environment (merged with the platform's; documented in .env.example and README). */
export const roiConfigSchema = z.object({
  ROI_ATTRIBUTION_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  ROI_TZ_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
  ROI_DEFAULT_REFUND_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  ROI_CONSUMER_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
  ROI_FACTOR_MAX_SAMPLES: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  ROI_FACTOR_SAMPLE_SEED: z.coerce.number().int().min(0).max(2 ** 31).default(1),
  /** Plausibility cap per event amount, minor units (default 1e9 fen = 10 000 000 yuan); larger amounts are dead-lettered. */
  ROI_MAX_EVENT_AMOUNT_MINOR: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1_000_000_000),
  /** Per-tenant caps overriding the default: `tenantA=5000000000,tenantB=20000000`. */
  ROI_MAX_EVENT_AMOUNT_MINOR_BY_TENANT: z
    .string()
    .default('')
    .refine((s) => parseTenantCaps(s) !== null, { message: 'expected tenant=integer pairs separated by commas' }),
});

/** `t1=100,t2=200` → Map; null when malformed. */
export function parseTenantCaps(s: string): Map<string, number> | null {
  const out = new Map<string, number>();
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)=(\d{1,16})$/.exec(part);
    if (!m) return null;
    const v = Number(m[2]);
    if (!Number.isSafeInteger(v) || v < 1) return null;
    out.set(m[1], v);
  }
  return out;
}
export type RoiEnv = z.infer<typeof roiConfigSchema>;

export const ROI_CONFIG = Symbol('ROI_CONFIG');

export interface RoiConfig {
  ledger: LedgerSettings;
  attributionWindowSec: number;
  consumerBatch: number;
  factorMaxSamples: number;
  factorSampleSeed: number;
  amountCap: AmountCap;
}

export function toRoiConfig(env: RoiEnv): RoiConfig {
  return {
    ledger: { tzOffsetMinutes: env.ROI_TZ_OFFSET_MINUTES, defaultRefundWindowDays: env.ROI_DEFAULT_REFUND_WINDOW_DAYS },
    attributionWindowSec: Math.round(env.ROI_ATTRIBUTION_WINDOW_HOURS * 3600),
    consumerBatch: env.ROI_CONSUMER_BATCH,
    factorMaxSamples: env.ROI_FACTOR_MAX_SAMPLES,
    factorSampleSeed: env.ROI_FACTOR_SAMPLE_SEED,
    amountCap: { defaultMinor: env.ROI_MAX_EVENT_AMOUNT_MINOR, byTenant: parseTenantCaps(env.ROI_MAX_EVENT_AMOUNT_MINOR_BY_TENANT) ?? new Map() },
  };
}
