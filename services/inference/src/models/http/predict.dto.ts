import { z } from 'zod';

const modelName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'model must be a model name: lowercase letters, digits and -');

/** Body of POST /v1/predict; limits come from PREDICT_MAX_TEXTS and PREDICT_MAX_TEXT_CHARS. */
export function predictBodySchema(maxTexts: number, maxChars: number) {
  const text = z
    .string({ error: (i) => (i.input === undefined ? 'is required' : `must be a string, got ${i.input === null ? 'null' : typeof i.input}`) })
    .refine((s) => s.trim().length > 0, 'must not be empty or blank')
    .refine((s) => s.length <= maxChars, `must be at most ${maxChars} characters`);
  return z
    .strictObject(
      {
        model: modelName.optional().describe('model name; default INTENT_MODEL (comment-intent)'),
        text: text.optional().describe('one text (single prediction); give text or texts'),
        texts: z
          .array(text, { error: (i) => `must be an array of strings, got ${i.input === null ? 'null' : typeof i.input}` })
          .min(1, 'must hold at least one text')
          .max(maxTexts, `must hold at most ${maxTexts} texts`)
          .optional()
          .describe(`texts to classify in one call (at most ${maxTexts})`),
      },
      { error: (i) => (i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : 'body must be a JSON object') },
    )
    .refine((b) => (b.text === undefined) !== (b.texts === undefined), { message: 'give exactly one of "text" or "texts"', path: ['texts'] });
}
export type PredictBody = z.infer<ReturnType<typeof predictBodySchema>>;

export const versionParamSchema = z.coerce
  .number({ error: 'version must be a positive integer' })
  .int('version must be a positive integer')
  .min(1, 'version must be a positive integer');
export const modelNameParamSchema = modelName;

/** Body of POST /v1/propensity. */
export function propensityBodySchema(maxRows: number) {
  return z.strictObject(
    {
      model: modelName.optional().describe('model name; default PROPENSITY_MODEL (purchase-propensity)'),
      rows: z
        .array(
          z.strictObject({
            userId: z.string().max(128).optional(),
            features: z.record(
              z.string().max(64),
              z.number({ error: 'feature values must be numbers' }).finite('feature values must be finite').min(0, 'feature values are counts: must be ≥ 0'),
            ),
          }),
          { error: 'rows must be an array of { userId?, features }' },
        )
        .min(1, 'must hold at least one row')
        .max(maxRows, `must hold at most ${maxRows} rows`),
    },
    { error: (i) => (i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : 'body must be a JSON object') },
  );
}
