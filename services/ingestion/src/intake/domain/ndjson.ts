/** One line of an NDJSON body: its parsed value, or why it is not JSON. */
export type NdjsonItem = { ok: true; value: unknown } | { ok: false; line: number; message: string };

/** Splits NDJSON (one JSON value per line, blank lines ignored, CRLF tolerated); a bad line fails alone. */
export function parseNdjson(text: string): NdjsonItem[] {
  const out: NdjsonItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      out.push({ ok: true, value: JSON.parse(line) as unknown });
    } catch (e) {
      out.push({ ok: false, line: i + 1, message: `line ${i + 1} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}
