/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes, "" escapes a quote,
 * quoted fields may hold commas and line breaks; CRLF or LF; a leading BOM is dropped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (fieldStarted || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Rows as { text, label } from the named columns of a CSV with a header line; rows with an empty text or label are skipped. */
export function labelledRowsFromCsv(text: string, textCol: string, labelCol: string): { rows: { text: string; label: string }[]; skipped: number } {
  const [header, ...body] = parseCsv(text);
  if (!header) throw new Error('empty CSV');
  const ti = header.indexOf(textCol);
  const li = header.indexOf(labelCol);
  if (ti < 0) throw new Error(`text column "${textCol}" not in header [${header.join(', ')}]`);
  if (li < 0) throw new Error(`label column "${labelCol}" not in header [${header.join(', ')}]`);
  const rows: { text: string; label: string }[] = [];
  let skipped = 0;
  for (const r of body) {
    const t = (r[ti] ?? '').trim();
    const l = (r[li] ?? '').trim();
    if (!t || !l) skipped++;
    else rows.push({ text: t, label: l });
  }
  return { rows, skipped };
}
