import { hashSeed, mulberry32, sampleBeta, sampleGamma, sampleNormal } from './random';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('seeded randomness', () => {
  it('repeats the same uniform sequence for the same seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('hashes strings with FNV-1a (hand-checked: "" → 0x811c9dc5, "a" → 0xe40c292c)', () => {
    expect(hashSeed('')).toBe(0x811c9dc5);
    expect(hashSeed('a')).toBe(0xe40c292c);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const rng = mulberry32(1);
    const m = moments(Array.from({ length: 20000 }, () => sampleNormal(rng)));
    expect(Math.abs(m.mean)).toBeLessThan(0.03);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.05);
  });

  it.each([
    [2, 0.06, 0.2],
    [9, 0.12, 0.6],
    [0.5, 0.03, 0.06],
  ])('draws Gamma(%d) by Marsaglia–Tsang with mean k and variance k', (k, meanTol, varTol) => {
    const rng = mulberry32(7);
    const m = moments(Array.from({ length: 20000 }, () => sampleGamma(k, rng)));
    expect(Math.abs(m.mean - k)).toBeLessThan(meanTol);
    expect(Math.abs(m.variance - k)).toBeLessThan(varTol);
  });

  it('rejects a non-positive Gamma shape', () => {
    expect(() => sampleGamma(0, mulberry32(1))).toThrow(RangeError);
  });

  it('draws Beta(2, 5) with mean 2/7 and variance 10/392', () => {
    const rng = mulberry32(3);
    const xs = Array.from({ length: 20000 }, () => sampleBeta(2, 5, rng));
    const m = moments(xs);
    expect(Math.abs(m.mean - 2 / 7)).toBeLessThan(0.005);
    expect(Math.abs(m.variance - 10 / 392)).toBeLessThan(0.002);
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
