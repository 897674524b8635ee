import { epochToMs, normaliseTimestamp, parseOffset } from './normalise-timestamp';

const iso = (input: unknown, naive?: number) => {
  const r = normaliseTimestamp(input, naive);
  return r.ok ? r.iso : `ERR ${r.message}`;
};

describe('normaliseTimestamp', () => {
  it('converts ISO with any offset to UTC with milliseconds', () => {
    expect(iso('2026-11-28T10:00:00+08:00')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-28T10:00:00+0800')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-27T21:00:00-05:00')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-28T02:00:00Z')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-28 02:00:00 UTC')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-28T07:30:00+05:30')).toBe('2026-11-28T02:00:00.000Z');
  });

  it('passes canonical UTC timestamps through unchanged, but still checks the calendar', () => {
    expect(iso('2026-11-28T02:00:00.123Z')).toBe('2026-11-28T02:00:00.123Z');
    expect(iso('2028-02-29T00:00:00.000Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(iso('2026-02-30T00:00:00.000Z')).toMatch(/^ERR invalid day/);
    expect(iso('2026-02-29T00:00:00.000Z')).toMatch(/^ERR invalid day/);
    expect(iso('2026-11-28T24:00:00.000Z')).toMatch(/^ERR invalid date/);
  });

  it('truncates fractional seconds of any precision to milliseconds', () => {
    expect(iso('2026-11-28T02:00:00.123456789Z')).toBe('2026-11-28T02:00:00.123Z');
    expect(iso('2026-11-28T02:00:00.5Z')).toBe('2026-11-28T02:00:00.500Z');
  });

  it('reads zone-less local times at the configured offset (default +08:00)', () => {
    expect(iso('2026-11-28 10:00:00')).toBe('2026-11-28T02:00:00.000Z');
    expect(iso('2026-11-28T10:00', 0)).toBe('2026-11-28T10:00:00.000Z');
  });

  it('infers the epoch unit from the magnitude: seconds, milliseconds, microseconds, numeric strings', () => {
    // 1764295200 s = 2025-11-28T02:00:00Z
    expect(iso(1764295200)).toBe('2025-11-28T02:00:00.000Z');
    expect(iso(1764295200123)).toBe('2025-11-28T02:00:00.123Z');
    expect(iso(1764295200123456)).toBe('2025-11-28T02:00:00.123Z');
    expect(iso('1764295200')).toBe('2025-11-28T02:00:00.000Z');
    expect(iso('1764295200.5')).toBe('2025-11-28T02:00:00.500Z');
    expect(iso('１７６４２９５２００')).toBe('2025-11-28T02:00:00.000Z');
    expect(epochToMs(1e18)).toBeNull();
  });

  it('rejects garbage, impossible dates and out-of-range instants', () => {
    expect(iso('yesterday')).toMatch(/^ERR unrecognised/);
    expect(iso('2026-02-30T00:00:00Z')).toMatch(/^ERR invalid day/);
    expect(iso('2026-13-01T00:00:00Z')).toMatch(/^ERR invalid date/);
    expect(iso(12)).toMatch(/^ERR .*outside/);
    expect(iso(-5)).toMatch(/^ERR/);
    expect(iso(null)).toMatch(/^ERR timestamp must be/);
  });

  it('parses configuration offsets', () => {
    expect(parseOffset('+08:00')).toBe(480);
    expect(parseOffset('-0530')).toBe(-330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('8')).toBeNull();
  });
});
