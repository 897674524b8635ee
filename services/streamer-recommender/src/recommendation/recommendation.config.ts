import { z } from 'zod';
import { DEFAULT_HYBRID_WEIGHTS, HYBRID_COMPONENTS, HybridWeights } from './domain/hybrid-blend';

/** Parses `content=0.2,cf=0.3,…` into hybrid weights (unnamed components keep their default). */
export function parseHybridWeights(spec: string): HybridWeights {
  const out: HybridWeights = { ...DEFAULT_HYBRID_WEIGHTS };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!(HYBRID_COMPONENTS as readonly string[]).includes(k)) throw new Error(`unknown component ${JSON.stringify(k)}; use ${HYBRID_COMPONENTS.join(', ')}`);
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`weight of ${k} must be a number ≥ 0, got ${JSON.stringify(v)}`);
    out[k as keyof HybridWeights] = n;
  }
  return out;
}

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const positive = (def: number) => z.coerce.number().positive().default(def);

/** streamer-recommender's own environment (merged with the platform's); documented in .env.example and the README. */
export const recommenderConfigSchema = z.object({
  RETRAIN_INTERVAL_MS: int(300_000),
  ALS_FACTORS: int(32, 1),
  ALS_ITERATIONS: int(10, 1),
  ALS_LAMBDA: positive(1),
  ALS_ALPHA: positive(5),
  ALS_SOLVER: z.enum(['cg', 'cholesky']).default('cg'),
  /** Factor model behind the hybrid's cf component: implicit ALS (default) or BPR-MF. */
  CF_MODEL: z.enum(['als', 'bpr']).default('als'),
  BPR_FACTORS: int(64, 1),
  BPR_EPOCHS: int(30, 1),
  BPR_LEARNING_RATE: z.coerce.number().positive().max(1).default(0.05),
  BPR_REG: z.coerce.number().min(0).default(0.001),
  MODEL_SEED: int(42),
  KMEANS_MAX_K: int(8, 2),
  CONVERSION_SHRINKAGE: positive(20),
  FOLLOWER_REACH: positive(0.05),
  HYBRID_WEIGHTS: z
    .string()
    .transform((s, ctx) => {
      try {
        return parseHybridWeights(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    })
    .default(DEFAULT_HYBRID_WEIGHTS),
  MMR_LAMBDA: z.coerce.number().min(0).max(1).default(0.7),
  RECOMMENDATION_CACHE_TTL_MS: int(300_000),
});

export type RecommenderConfig = z.infer<typeof recommenderConfigSchema>;
