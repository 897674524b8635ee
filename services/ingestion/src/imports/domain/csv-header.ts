import type { FieldSource, ImportMapping } from './import-mapping';
import { parseCsvRecord } from './record-reader';

/** Why a CSV upload cannot be imported with a mapping, found from its first line before any row is sent. */
export interface HeaderProblem {
  /** `no_header_row` | `wrong_delimiter` | `missing_columns` */
  code: 'no_header_row' | 'wrong_delimiter' | 'missing_columns';
  message: string;
  missing: string[];
  found: string[];
}

function columnsOf(src: FieldSource, out: Set<string>): void {
  if (typeof src === 'string') out.add(src);
  else if ('column' in src) {
    out.add(src.column);
    if (src.ifEmpty) for (const m of src.ifEmpty.matchAll(/\{([^}]+)\}/g)) out.add(m[1]);
  } else if ('template' in src) for (const m of src.template.matchAll(/\{([^}]+)\}/g)) out.add(m[1]);
  else if ('multiply' in src) for (const c of src.multiply) out.add(c);
}

/** Every column a mapping reads (envelope fields, payload tables, template placeholders). */
export function mappingColumns(mapping: ImportMapping): string[] {
  const cols = new Set<string>();
  for (const src of Object.values(mapping.fields)) columnsOf(src, cols);
  for (const table of Object.values(mapping.payload)) for (const src of Object.values(table)) columnsOf(src, cols);
  return [...cols];
}

const DELIMITER_NAMES: Record<string, string> = { '\t': 'tab', ';': 'semicolon', '|': 'pipe', ',': 'comma' };

/**
 * Checks the header line of a CSV file against the columns the mapping reads:
 * - none of them present and the line splits on another delimiter (tab, semicolon, pipe) → `wrong_delimiter`;
 * - none of them present otherwise → `no_header_row` (the first line looks like data);
 * - some missing → `missing_columns` with the list.
 * Null when every column is there.
 */
export function checkCsvHeader(headerLine: string, mapping: ImportMapping, delimiter: string): HeaderProblem | null {
  const wanted = mappingColumns(mapping);
  if (mapping.columns) {
    // a headerless format: the mapping names the columns; the first line is data and must have that many cells
    const missing = wanted.filter((c) => !mapping.columns!.includes(c));
    const cells = parseCsvRecord(headerLine, delimiter);
    if (missing.length) return { code: 'missing_columns', message: `the mapping reads column(s) its own "columns" list lacks: ${missing.join(', ')}`, missing, found: mapping.columns };
    if (cells.length < mapping.columns.length) {
      return {
        code: cells.length === 1 ? 'wrong_delimiter' : 'missing_columns',
        message: `the first line has ${cells.length} cell(s) but the mapping expects ${mapping.columns.length} (${mapping.columns.join(', ')}) separated by ${JSON.stringify(delimiter)}`,
        missing: mapping.columns.slice(cells.length),
        found: cells.slice(0, 20),
      };
    }
    return null;
  }
  if (wanted.length === 0) return null;
  const found = parseCsvRecord(headerLine.replace(/^\uFEFF/, ''), delimiter).map((h) => h.trim());
  const have = new Set(found);
  const missing = wanted.filter((c) => !have.has(c));
  if (missing.length === 0) return null;
  const shown = found.slice(0, 20);
  if (missing.length === wanted.length) {
    for (const d of ['\t', ';', '|', ',']) {
      if (d === delimiter) continue;
      const cells = parseCsvRecord(headerLine, d).map((h) => h.trim());
      if (cells.length > 1 && wanted.some((c) => cells.includes(c))) {
        return {
          code: 'wrong_delimiter',
          message: `the file is ${DELIMITER_NAMES[d]}-separated but the mapping reads ${DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)}-separated files; set "delimiter": ${JSON.stringify(d)} in the mapping (or convert the file)`,
          missing,
          found: cells.slice(0, 20),
        };
      }
    }
    return {
      code: 'no_header_row',
      message: `the first line names none of the columns the mapping reads (${wanted.join(', ')}); it looks like data: the file needs a header row (add one, or give a mapping whose columns match)`,
      missing,
      found: shown,
    };
  }
  return { code: 'missing_columns', message: `the file lacks column(s) the mapping reads: ${missing.join(', ')} (found: ${shown.join(', ')})`, missing, found: shown };
}

/** The first line of a buffer that holds something (bounded scan), or null. */
export function firstLine(body: Buffer, maxBytes = 1 << 20): string | null {
  let from = 0;
  while (from < body.length && from < maxBytes) {
    let nl = body.indexOf(10, from);
    if (nl < 0) nl = body.length;
    const text = body.toString('utf8', from, Math.min(nl, from + maxBytes)).replace(/\r$/, '');
    if (text.trim() !== '') return text;
    from = nl + 1;
  }
  return null;
}
