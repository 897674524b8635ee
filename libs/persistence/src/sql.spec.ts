import { chunks, placeholders } from './sql';

describe('multi-row SQL helpers', () => {
  it('numbers placeholders row by row from the offset', () => {
    expect(placeholders(2, 3)).toBe('($1,$2,$3),($4,$5,$6)');
    expect(placeholders(1, 2, 4)).toBe('($5,$6)');
    expect(placeholders(0, 3)).toBe('');
  });

  it('splits rows so no chunk exceeds the parameter budget and none is lost', () => {
    const rows = Array.from({ length: 25 }, (_, i) => i);
    const parts = chunks(rows, 4, 30);
    expect(parts.every((p) => p.length * 4 <= 30)).toBe(true);
    expect(parts.flat()).toEqual(rows);
  });
});
