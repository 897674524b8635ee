import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { ImportMapping, importMappingSchema } from '../domain/import-mapping';

/** Where the named mappings live (services/ingestion/mappings/<name>.json). */
export const MAPPINGS_DIR = join(__dirname, '..', '..', '..', 'mappings');

/** Parses and validates a mapping document; errors name the problem. */
export function parseMapping(json: unknown, origin: string): ImportMapping {
  const r = importMappingSchema.safeParse(json);
  if (!r.success) {
    throw new DomainError(ErrorCode.ValidationFailed, `invalid mapping (${origin}): ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** Named mappings shipped with the service (e.g. `rees46`). */
@Injectable()
export class MappingCatalog {
  load(name: string): ImportMapping {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new DomainError(ErrorCode.ValidationFailed, `mapping name ${JSON.stringify(name)} is not valid`);
    let text: string;
    try {
      text = readFileSync(join(MAPPINGS_DIR, `${name}.json`), 'utf8');
    } catch {
      throw new DomainError(ErrorCode.NotFound, `no mapping named ${name}`);
    }
    return parseMapping(JSON.parse(text), `mappings/${name}.json`);
  }
}
