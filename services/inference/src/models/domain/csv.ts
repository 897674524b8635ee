import { parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV through csv-parse: comma separated, fields optionally in double quotes, "" escapes a quote,
 * quoted fields may hold commas and line breaks; CRLF or LF; a leading BOM is dropped; a stray quote inside an
 * unquoted field is kept as text. An unclosed quote is an error naming its line.
 */
export function parseCsv(text: string): string[][] {
  try {
    const rows: string[][] = parse(text, {
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    });
    return rows;
  } catch (e) {
    throw new Error(`CSV could not be read: ${(e as Error).message}`);
  }
}

/** Column names taken as the text column when none is named, in this order (case-insensitive). */
export const TEXT_COLUMN_CANDIDATES = ['text', 'review', 'content', 'comment', 'sentence', 'review_text', 'body'] as const;

/** The header's text column: the first of TEXT_COLUMN_CANDIDATES present, or undefined. */
export function detectTextColumn(header: readonly string[]): string | undefined {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const c of TEXT_COLUMN_CANDIDATES) {
    const i = lower.indexOf(c);
    if (i >= 0) return header[i];
  }
  return undefined;
}

/**
 * Rows as { text, label } from the named columns of a CSV with a header line; rows with an empty text or
 * label are skipped. `textCol` undefined: detected from the header (detectTextColumn). Refuses, naming
 * the problem: an empty file, a header without rows, a tab- or semicolon-separated header, a column not in the header.
 */
export function labelledRowsFromCsv(
  text: string,
  textCol: string | undefined,
  labelCol: string,
): { rows: { text: string; label: string }[]; skipped: number; textCol: string } {
  const [rawHeader, ...body] = parseCsv(text);
  if (!rawHeader) throw new Error('empty CSV: no header line and no rows');
  const header = rawHeader.map((h) => h.trim());
  if (header.length === 1) {
    const sep = ['\t', ';', '|'].find((d) => header[0].includes(d));
    if (sep)
      throw new Error(
        `the header has one column "${header[0].slice(0, 80)}": the file looks ${sep === '\t' ? 'tab' : `"${sep}"`}-separated; give a comma-separated CSV`,
      );
  }
  const tcol = textCol ?? detectTextColumn(header);
  if (tcol === undefined)
    throw new Error(
      `no text column: none of [${TEXT_COLUMN_CANDIDATES.join(', ')}] in header [${header.join(', ')}]; name one with --text-col`,
    );
  const ti = header.indexOf(tcol);
  const li = header.indexOf(labelCol);
  if (ti < 0) throw new Error(`text column "${tcol}" not in header [${header.join(', ')}]`);
  if (li < 0) throw new Error(`label column "${labelCol}" not in header [${header.join(', ')}]`);
  if (ti === li) throw new Error(`text and label column are the same ("${tcol}")`);
  if (body.length === 0) throw new Error(`no data rows after the header [${header.join(', ')}]`);
  const rows: { text: string; label: string }[] = [];
  let skipped = 0;
  for (const r of body) {
    const t = (r[ti] ?? '').trim();
    const l = (r[li] ?? '').trim();
    if (!t || !l) skipped++;
    else rows.push({ text: t, label: l });
  }
  if (rows.length === 0) throw new Error(`all ${body.length} data rows have an empty "${tcol}" or "${labelCol}"`);
  return { rows, skipped, textCol: tcol };
}
