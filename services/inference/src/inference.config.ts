import { z } from 'zod';
import type { BaseConfig } from '@livepromo/service-kit';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Inference-specific environment (merged with the platform's base schema; see .env.example). */
export const inferenceConfigSchema = z.object({
  /** Folder scanned at boot for trained models (<MODEL_DIR>/<name>/<version>/model.onnx + model.json). */
  MODEL_DIR: z.string().min(1).default('var/models'),
  /** Model the comment pipeline and POST /v1/predict use for intent. */
  INTENT_MODEL: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).default('comment-intent'),
  /** Model the comment pipeline uses for sentiment. */
  SENTIMENT_MODEL: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).default('comment-sentiment'),
  /** Model POST /v1/propensity uses by default. */
  PROPENSITY_MODEL: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).default('purchase-propensity'),
  /** Train the default intent/sentiment/propensity models from the synthetic data at boot when the registry has none. */
  TRAIN_DEFAULT_MODELS: bool.default(true),
  /** Largest number of texts in one inference call. */
  BATCH_MAX_SIZE: z.coerce.number().int().min(1).max(4096).default(64),
  /** Longest wait for more texts after the first one queued, in ms. */
  BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(2),
  /** Largest number of texts in one POST /v1/predict. */
  PREDICT_MAX_TEXTS: z.coerce.number().int().min(1).max(10000).default(256),
  /** Longest text in characters (UTF-16 code units) accepted by POST /v1/predict. */
  PREDICT_MAX_TEXT_CHARS: z.coerce.number().int().min(1).max(100000).default(2000),
  /** onnxruntime intra-op threads per session. */
  ORT_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** How often to re-read the active versions from Postgres, so activation on one replica reaches all (ms, 0 = never). */
  MODEL_REFRESH_MS: z.coerce.number().int().min(0).default(10000),
});
export type InferenceConfig = BaseConfig & z.infer<typeof inferenceConfigSchema>;
