import { stratifiedKFold, stratifiedSample, stratifiedSplit } from './sampling';

describe('stratifiedKFold', () => {
  const labels = [...new Array<number>(23).fill(0), ...new Array<number>(11).fill(1), ...new Array<number>(6).fill(2)];

  it('gives k disjoint folds that together cover every row once', () => {
    const folds = stratifiedKFold(labels, 5, 3);
    expect(folds).toHaveLength(5);
    const all = folds.flat().sort((a, b) => a - b);
    expect(all).toEqual(labels.map((_, i) => i));
    expect(new Set(all).size).toBe(labels.length);
  });

  it('keeps each label within one row of its share in every fold and fold sizes within one', () => {
    const folds = stratifiedKFold(labels, 5, 3);
    for (const f of folds) {
      for (const [label, n] of [
        [0, 23],
        [1, 11],
        [2, 6],
      ]) {
        const c = f.filter((i) => labels[i] === label).length;
        expect(c).toBeGreaterThanOrEqual(Math.floor(n / 5));
        expect(c).toBeLessThanOrEqual(Math.ceil(n / 5));
      }
    }
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is determined by its seed', () => {
    expect(stratifiedKFold(labels, 4, 9)).toEqual(stratifiedKFold(labels, 4, 9));
    expect(stratifiedKFold(labels, 4, 9)).not.toEqual(stratifiedKFold(labels, 4, 10));
  });

  it('refuses k < 2 and k above the number of rows', () => {
    expect(() => stratifiedKFold(labels, 1, 1)).toThrow('k >= 2');
    expect(() => stratifiedKFold([0, 1], 3, 1)).toThrow('needs at least 3 rows');
  });
});

describe('stratifiedSample', () => {
  // a label-sorted file: 300 positives, then 100 negatives (taking the first N rows would see one label only)
  const sorted = [...new Array<number>(300).fill(1), ...new Array<number>(100).fill(0)];

  it('keeps the label shares of a label-sorted file', () => {
    const s = stratifiedSample(sorted, 40, 42);
    expect(s).toHaveLength(40);
    expect(s.filter((i) => sorted[i] === 1)).toHaveLength(30);
    expect(s.filter((i) => sorted[i] === 0)).toHaveLength(10);
    expect(new Set(s).size).toBe(40);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
  });

  it('is seeded: the same seed gives the same rows, another seed other rows', () => {
    expect(stratifiedSample(sorted, 40, 42)).toEqual(stratifiedSample(sorted, 40, 42));
    expect(stratifiedSample(sorted, 40, 42)).not.toEqual(stratifiedSample(sorted, 40, 43));
  });

  it('keeps at least one row of a rare label and returns every row when n is not smaller', () => {
    const rare = [...new Array<number>(199).fill(0), 1];
    expect(stratifiedSample(rare, 10, 1).filter((i) => rare[i] === 1)).toHaveLength(1);
    expect(stratifiedSample(rare, 10, 1)).toHaveLength(10);
    expect(stratifiedSample(rare, 500, 1)).toHaveLength(200);
  });
});

describe('stratifiedSplit', () => {
  it('holds out round(testFraction · n) rows of each label', () => {
    const { train, test } = stratifiedSplit([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 0.4, 1);
    expect(test).toHaveLength(4);
    expect(train).toHaveLength(6);
  });
});
