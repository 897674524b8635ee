import { fitCalibration, fitPlatt, fitTemperature, foldCalibration, reliabilityTable } from './calibration';
import { predictLogits, predictProba, SoftmaxModel, softmax } from '@livepromo/ml';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('reliabilityTable', () => {
  it('bins P(second label) and computes ECE on a hand case', () => {
    // P(1) = 0.05 (truth 0), 0.15 (truth 1), 0.95 (truth 1), 0.95 (truth 0)
    // bins: [0,0.1): 1 row, mean 0.05, observed 0; [0.1,0.2): 1 row, 0.15, 1; [0.9,1]: 2 rows, 0.95, 0.5
    // ECE = 0.25·0.05 + 0.25·0.85 + 0.5·0.45 = 0.45
    const t = reliabilityTable(
      [
        [0.95, 0.05],
        [0.85, 0.15],
        [0.05, 0.95],
        [0.05, 0.95],
      ],
      [0, 1, 1, 0],
      ['0', '1'],
    );
    expect(t.predicted).toBe('P(1)');
    expect(t.bins[0]).toEqual({ lo: 0, hi: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 });
    expect(t.bins[1].count).toBe(1);
    expect(t.bins[1].observedRate).toBe(1);
    expect(t.bins[9].count).toBe(2);
    expect(t.bins[9].meanPredicted).toBeCloseTo(0.95, 12);
    expect(t.bins[9].observedRate).toBe(0.5);
    expect(t.ece).toBeCloseTo(0.45, 12);
  });

  it('puts a probability of exactly 1 in the last bin and uses top-label confidence for more classes', () => {
    const t = reliabilityTable(
      [
        [0, 0, 1],
        [0.5, 0.3, 0.2],
      ],
      [2, 1],
      ['a', 'b', 'c'],
    );
    expect(t.predicted).toBe('confidence of the predicted class');
    expect(t.bins[9]).toMatchObject({ count: 1, meanPredicted: 1, observedRate: 1 });
    expect(t.bins[5]).toMatchObject({ count: 1, meanPredicted: 0.5, observedRate: 0 });
    expect(t.ece).toBeCloseTo(0.25, 12);
  });
});

describe('Platt scaling', () => {
  // 41 margins in [-4, 4], 200 rows each, of which exactly round(200·σ(2m − 0.5)) are positive.
  const margins: number[] = [];
  const outcomes: number[] = [];
  for (let i = 0; i <= 40; i++) {
    const m = -4 + i * 0.2;
    const pos = Math.round(200 * sigmoid(2 * m - 0.5));
    for (let k = 0; k < 200; k++) {
      margins.push(m);
      outcomes.push(k < pos ? 1 : 0);
    }
  }

  it('recovers the slope and offset of a known logistic rule', () => {
    const { a, c } = fitPlatt(margins, outcomes);
    expect(a).toBeCloseTo(2, 1);
    expect(c).toBeCloseTo(-0.5, 1);
  });

  it('is monotone: a larger margin never gets a smaller calibrated probability', () => {
    const { a, c } = fitPlatt(margins, outcomes);
    expect(a).toBeGreaterThan(0);
    const ps = [-3, -1, 0, 0.5, 2].map((m) => sigmoid(a * m + c));
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThan(ps[i - 1]);
  });

  it('lowers the ECE of over-confident probabilities', () => {
    // the model's probabilities σ(4m) are over-confident for outcomes drawn as σ(2m − 0.5)
    const probs = margins.map((m) => [1 - sigmoid(4 * m), sigmoid(4 * m)]);
    const before = reliabilityTable(probs, outcomes, ['0', '1']).ece;
    const { a, c } = fitPlatt(
      margins.map((m) => 4 * m),
      outcomes,
    );
    const after = reliabilityTable(
      margins.map((m) => [1 - sigmoid(a * 4 * m + c), sigmoid(a * 4 * m + c)]),
      outcomes,
      ['0', '1'],
    ).ece;
    expect(after).toBeLessThan(before / 3);
  });

  it('folds into the softmax weights: the folded model gives σ(a·m + c)', () => {
    const model: SoftmaxModel = { dim: 2, classes: 2, weights: Float32Array.from([0.5, -1, -0.5, 1]), bias: Float32Array.from([0.2, -0.1]) };
    const x = { indices: Int32Array.from([0, 1]), values: Float32Array.from([0.6, 0.8]) };
    const cal = fitCalibration([[0, 0]], [1], 2);
    expect(cal.method).toBe('platt');
    const z = predictLogits(model, x);
    const folded = foldCalibration(model, { method: 'platt', a: 1.7, c: -0.3 });
    expect(predictProba(folded, x)[1]).toBeCloseTo(sigmoid(1.7 * (z[1] - z[0]) - 0.3), 6);
  });
});

describe('temperature scaling', () => {
  it('finds the temperature that undoes a known sharpening of calibrated logits', () => {
    // calibrated 3-class logits, labels drawn deterministically in proportion to their softmax; the model's logits are 3× those
    const logits: number[][] = [];
    const truth: number[] = [];
    for (let i = 0; i < 30; i++) {
      const z = [Math.sin(i), Math.cos(i * 0.7), 0.3 * (i % 5) - 0.6];
      const p = softmax(z);
      for (let c = 0; c < 3; c++) {
        for (let k = 0; k < Math.round(100 * p[c]); k++) {
          logits.push(z.map((v) => 3 * v));
          truth.push(c);
        }
      }
    }
    expect(fitTemperature(logits, truth)).toBeCloseTo(3, 1);
  });

  it('keeps the predicted class when folded', () => {
    const model: SoftmaxModel = { dim: 2, classes: 3, weights: Float32Array.from([1, 0, 0, 1, -1, -1]), bias: Float32Array.from([0, 0.1, 0]) };
    const x = { indices: Int32Array.from([0, 1]), values: Float32Array.from([0.3, 0.9]) };
    const p = predictProba(model, x);
    const q = predictProba(foldCalibration(model, { method: 'temperature', t: 2.5 }), x);
    expect(q.indexOf(Math.max(...q))).toBe(p.indexOf(Math.max(...p)));
    expect(Math.max(...q)).toBeLessThan(Math.max(...p));
  });
});
