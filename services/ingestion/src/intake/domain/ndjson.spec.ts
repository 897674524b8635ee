import { parseNdjson } from './ndjson';

describe('NDJSON lines', () => {
  it('parses each line alone; a malformed line and a line nested over 64 levels fail alone, with their own code', () => {
    const deep = `{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const items = parseNdjson(`{"a":1}\n{"a":\n\n${deep}\r\n{"b":2}\n`);
    expect(items.map((i) => (i.ok ? 'ok' : (i.code ?? 'malformed')))).toEqual(['ok', 'malformed', 'json_too_deep', 'ok']);
    expect(items[2]).toMatchObject({ ok: false, line: 4, message: expect.stringMatching(/64 levels/) });
  });
});
