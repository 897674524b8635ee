import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './errors';
import { idProblem, jsonTextExceedsDepth, jsonTextProblem, MAX_JSON_DEPTH, rejectHostileUrl, valueExceedsDepth, valueProblem } from './hostile-input';

const nested = (levels: number, open = '[', close = ']') => open.repeat(levels) + close.repeat(levels);

function run(url: string, query: Record<string, unknown> = {}): unknown {
  let passed: unknown = 'not called';
  rejectHostileUrl({ originalUrl: url, url, query } as unknown as Request, {} as Response, ((e?: unknown) => (passed = e)) as NextFunction);
  return passed;
}

describe('JSON depth limit', () => {
  it('accepts 64 levels and refuses 65, counting arrays and objects alike', () => {
    expect(jsonTextExceedsDepth(Buffer.from(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTextExceedsDepth(Buffer.from(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(jsonTextExceedsDepth(Buffer.from('{"a":'.repeat(65) + '1' + '}'.repeat(65)))).toBe(true);
  });

  it('ignores brackets inside strings, including escaped quotes', () => {
    const text = JSON.stringify({ s: '['.repeat(500) + '\\"[[[' });
    expect(jsonTextExceedsDepth(Buffer.from(text))).toBe(false);
  });

  it('checks a parsed value without recursion (3,000 and 200,000 levels)', () => {
    expect(valueExceedsDepth(JSON.parse(nested(3000)))).toBe(true);
    expect(valueExceedsDepth(JSON.parse(nested(200_000)))).toBe(true);
    expect(valueExceedsDepth(JSON.parse(nested(64)))).toBe(false);
    expect(valueExceedsDepth({ a: [1, { b: 'x' }], c: null })).toBe(false);
  });
});

describe('null characters in JSON strings', () => {
  it('finds \\u0000 in text and in parsed values (keys too), but not an escaped backslash before u0000', () => {
    expect(jsonTextProblem(Buffer.from(JSON.stringify({ name: 'a\u0000b' })))).toBe('nul');
    expect(jsonTextProblem(Buffer.from(JSON.stringify({ name: 'a\\u0000b' })))).toBeNull();
    expect(valueProblem({ a: ['x', 'y\u0000'] })).toBe('nul');
    expect(valueProblem({ ['k\u0000']: 1 })).toBe('nul');
    expect(valueProblem({ a: 'fine' })).toBeNull();
  });
});

describe('ids, cursors and query values', () => {
  it('refuses null bytes and other control characters, percent-encoded or not', () => {
    expect(idProblem('user\u0000x')).toMatch(/control character/);
    expect(idProblem('a\u001fb')).toMatch(/control character/);
    expect(idProblem('x'.repeat(513))).toMatch(/longer than 512/);
    expect(idProblem('用户-42:é@x')).toBeNull();
  });

  it('answers 400 invalid_identifier for a null byte in a path segment or a cursor, naming where', () => {
    const inPath = run('/v1/profiles/alice%00');
    expect(inPath).toBeInstanceOf(DomainError);
    expect((inPath as DomainError).code).toBe('invalid_identifier');
    expect((inPath as DomainError).status).toBe(400);
    expect((inPath as DomainError).message).toMatch(/path segment 3/);
    const inCursor = run('/v1/segments/rfm:loyal/members', { cursor: 'abc\u0000' });
    expect((inCursor as DomainError).message).toMatch(/query parameter "cursor"/);
    expect((run('/v1/x/%E0%A4%A') as DomainError).code).toBe('invalid_identifier');
  });

  it('lets ordinary URLs through', () => {
    expect(run('/v1/segments/interest%3Aprogramming/members', { limit: '10', cursor: 'YWJj' })).toBeUndefined();
  });
});
