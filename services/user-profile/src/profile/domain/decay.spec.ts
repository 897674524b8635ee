import { addDecayed, DAY_MS, decayedValueAt, decayFactor, rescaleMap } from './decay';

describe('exponential decay with a reference time', () => {
  const h = DAY_MS; // half-life one day

  it('halves a weight per half-life: 2^((from − to)/h)', () => {
    expect(decayFactor(0, DAY_MS, h)).toBe(0.5);
    expect(decayFactor(0, 3 * DAY_MS, h)).toBe(0.125);
    expect(decayFactor(2 * DAY_MS, 0, h)).toBe(4);
  });

  it('reads 1·2^-2 + 1·2^-1 = 0.75 at day 2 for weights at day 0 and day 1, in either order', () => {
    const a: Record<string, number> = {};
    addDecayed(a, 'x', 1, 0, DAY_MS, h); // 0.5 at ref day 1
    addDecayed(a, 'x', 1, DAY_MS, DAY_MS, h); // 1 at ref day 1
    expect(decayedValueAt(a.x, DAY_MS, 2 * DAY_MS, h)).toBeCloseTo(0.75, 12);

    // other order: first referenced at day 0, then moved to day 1 by rescaling
    const b: Record<string, number> = {};
    addDecayed(b, 'x', 1, 0, 0, h);
    rescaleMap(b, decayFactor(0, DAY_MS, h));
    addDecayed(b, 'x', 1, DAY_MS, DAY_MS, h);
    expect(b.x).toBeCloseTo(a.x, 12);
  });

  it('refuses a non-positive half-life', () => {
    expect(() => decayFactor(0, 1, 0)).toThrow(RangeError);
  });
});
