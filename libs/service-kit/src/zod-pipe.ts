import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, ErrorCode } from './errors';

/** Validates a body/query/param against a zod schema; 400 validation_failed with issues on failure. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.infer<S> {
    const r = this.schema.safeParse(value);
    if (!r.success) {
      const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
      throw new DomainError(ErrorCode.ValidationFailed, `invalid ${this.what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
        details: { issues },
      });
    }
    return r.data;
  }
}

/** OpenAPI 3 schema object for a zod schema, for @ApiBody({ schema }) / @ApiOkResponse({ schema }). */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' });
}
