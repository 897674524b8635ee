import { argmax, classificationReport, rocAuc } from './classification-metrics';

describe('classificationReport', () => {
  it('computes accuracy, per-class F1, macro-F1 and the confusion matrix by hand', () => {
    // truth: a a a b b c ; predicted: a a b b c c
    const r = classificationReport([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ['a', 'b', 'c']);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    // a: P 2/2 R 2/3 F1 0.8; b: P 1/2 R 1/2 F1 0.5; c: P 1/2 R 1 F1 2/3
    expect(r.perClass.map((c) => c.f1)).toEqual([expect.closeTo(0.8, 12), expect.closeTo(0.5, 12), expect.closeTo(2 / 3, 12)]);
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(r.majorityBaseline).toBeCloseTo(0.5, 12);
  });

  it('takes the first index on ties in argmax', () => {
    expect(argmax([0.2, 0.4, 0.4])).toBe(1);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0.5 for ties, and matches a hand count', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
    // pairs (pos, neg): (0.6 > 0.2) (0.6 < 0.7) (0.9 > 0.2) (0.9 > 0.7) → 3/4
    expect(rocAuc([0.2, 0.6, 0.7, 0.9], [false, true, false, true])).toBe(0.75);
  });
});
