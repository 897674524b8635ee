import { z } from 'zod';
import { BaseConfig } from '@livepromo/service-kit';

/** content-optimiser's own environment (merged with the platform's). */
export const contentOptimiserConfigSchema = z.object({
  /** Event-time lateness: a window closes when the session's newest event is this far past its end. */
  WINDOW_LATENESS_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** Seed of the Thompson sampler (each decision is seeded from it and the decision's identity). */
  BANDIT_SEED: z.coerce.number().int().min(0).default(7),
  /** How long baselines (past windows of a streamer or a category) are cached in memory. */
  BASELINE_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  /** Most recent past windows per streamer or category that form a baseline. */
  BASELINE_MAX_WINDOWS: z.coerce.number().int().min(5).max(100_000).default(200),
});
export type ContentOptimiserConfig = BaseConfig & z.infer<typeof contentOptimiserConfigSchema>;
