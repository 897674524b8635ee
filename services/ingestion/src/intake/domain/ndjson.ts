import { jsonTextProblem, MAX_JSON_DEPTH } from '@livepromo/service-kit';

/** One line of an NDJSON body: its parsed value, or why it is not acceptable JSON (a code when it is not plain malformed JSON). */
export type NdjsonItem = { ok: true; value: unknown } | { ok: false; line: number; message: string; code?: 'json_too_deep' };

/**
 * Splits NDJSON (one JSON value per line, blank lines ignored, CRLF tolerated); a bad line fails alone.
 * A line nested deeper than MAX_JSON_DEPTH is refused from one linear scan, before JSON.parse would
 * spend time building it (issue #18: 100,000-level lines stalled the event loop).
 */
export function parseNdjson(text: string): NdjsonItem[] {
  const out: NdjsonItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (jsonTextProblem(line, MAX_JSON_DEPTH, false) === 'too_deep') {
      out.push({ ok: false, line: i + 1, code: 'json_too_deep', message: `line ${i + 1} nests JSON deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)` });
      continue;
    }
    try {
      out.push({ ok: true, value: JSON.parse(line) as unknown });
    } catch (e) {
      out.push({ ok: false, line: i + 1, message: `line ${i + 1} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}
