import { z } from 'zod';
import { DAY_MS, ProfileSettings } from './domain';

/** Service-specific environment (merged with the platform's; documented in .env.example and README). */
export const profileConfigSchema = z.object({
  USER_PROFILE_HALF_LIFE_DAYS: z.coerce.number().positive().max(3650).default(14),
  USER_PROFILE_TZ_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
  USER_PROFILE_PRICE_LOW_BELOW_MINOR: z.coerce.number().int().min(1).default(10_000),
  USER_PROFILE_PRICE_MID_BELOW_MINOR: z.coerce.number().int().min(1).default(50_000),
  USER_PROFILE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  USER_PROFILE_PROCESSED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
  USER_PROFILE_CONSUMER_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
  USER_PROFILE_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
});
export type ProfileEnv = z.infer<typeof profileConfigSchema>;

export const PROFILE_CONFIG = Symbol('PROFILE_CONFIG');

export interface ProfileConfig {
  settings: ProfileSettings;
  cacheTtlMs: number;
  processedRetentionMs: number;
  consumerBatch: number;
  /** Partitions of events.clean.v1 applied at the same time (their transactions overlap; profile rows are locked in key order). */
  partitionsConcurrently: number;
}

export function toProfileConfig(env: ProfileEnv): ProfileConfig {
  if (env.USER_PROFILE_PRICE_MID_BELOW_MINOR <= env.USER_PROFILE_PRICE_LOW_BELOW_MINOR) {
    throw new Error('USER_PROFILE_PRICE_MID_BELOW_MINOR must be greater than USER_PROFILE_PRICE_LOW_BELOW_MINOR');
  }
  return {
    settings: {
      halfLifeMs: env.USER_PROFILE_HALF_LIFE_DAYS * DAY_MS,
      tzOffsetMinutes: env.USER_PROFILE_TZ_OFFSET_MINUTES,
      priceLowMaxMinor: env.USER_PROFILE_PRICE_LOW_BELOW_MINOR,
      priceMidMaxMinor: env.USER_PROFILE_PRICE_MID_BELOW_MINOR,
    },
    cacheTtlMs: env.USER_PROFILE_CACHE_TTL_SECONDS * 1000,
    processedRetentionMs: env.USER_PROFILE_PROCESSED_RETENTION_DAYS * DAY_MS,
    consumerBatch: env.USER_PROFILE_CONSUMER_BATCH,
    partitionsConcurrently: env.USER_PROFILE_PARTITIONS_CONCURRENTLY,
  };
}
