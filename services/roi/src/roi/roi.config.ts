import { z } from 'zod';
import type { LedgerSettings } from './domain/ledger-entry';

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
});
export type RoiEnv = z.infer<typeof roiConfigSchema>;

export const ROI_CONFIG = Symbol('ROI_CONFIG');

export interface RoiConfig {
  ledger: LedgerSettings;
  attributionWindowSec: number;
  consumerBatch: number;
  factorMaxSamples: number;
}

export function toRoiConfig(env: RoiEnv): RoiConfig {
  return {
    ledger: { tzOffsetMinutes: env.ROI_TZ_OFFSET_MINUTES, defaultRefundWindowDays: env.ROI_DEFAULT_REFUND_WINDOW_DAYS },
    attributionWindowSec: Math.round(env.ROI_ATTRIBUTION_WINDOW_HOURS * 3600),
    consumerBatch: env.ROI_CONSUMER_BATCH,
    factorMaxSamples: env.ROI_FACTOR_MAX_SAMPLES,
  };
}
