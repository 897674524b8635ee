import { predictProba, softmax, trainSoftmax } from './softmax-regression';

const sv = (idx: number[], val: number[]) => ({ indices: Int32Array.from(idx), values: Float32Array.from(val) });

describe('softmax', () => {
  it('matches the hand-computed values and is stable for large logits', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    const q = softmax([1000, 1000]);
    expect(q[0]).toBeCloseTo(0.5, 12);
  });
});

describe('predictProba', () => {
  it('computes softmax(W x + b) for a sparse x', () => {
    // W = [[1, 0], [0, 2]], b = [0, 0], x = [1, 0.5] → logits [1, 1] → [0.5, 0.5]
    const model = { dim: 2, classes: 2, weights: Float32Array.from([1, 0, 0, 2]), bias: Float32Array.from([0, 0]) };
    const p = predictProba(model, sv([0, 1], [1, 0.5]));
    expect(p[0]).toBeCloseTo(0.5, 7);
  });
});

describe('trainSoftmax', () => {
  const xs = [sv([0], [1]), sv([1], [1]), sv([2], [1]), sv([0, 3], [0.7, 0.7]), sv([1, 3], [0.7, 0.7]), sv([2, 3], [0.7, 0.7])];
  const ys = [0, 1, 2, 0, 1, 2];
  const opts = { epochs: 60, batchSize: 2, learningRate: 0.1, l2: 0, seed: 3 };

  it('learns a separable three-class problem', () => {
    const m = trainSoftmax(xs, ys, 3, 4, opts);
    xs.forEach((x, i) => {
      const p = predictProba(m, x);
      expect(p[ys[i]]).toBeGreaterThan(0.9);
    });
  });

  it('is deterministic for a seed', () => {
    const a = trainSoftmax(xs, ys, 3, 4, opts);
    const b = trainSoftmax(xs, ys, 3, 4, opts);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it('shrinks weights with a larger L2 penalty', () => {
    const free = trainSoftmax(xs, ys, 3, 4, opts);
    const tight = trainSoftmax(xs, ys, 3, 4, { ...opts, l2: 1 });
    const norm = (w: Float32Array) => Math.hypot(...Array.from(w));
    expect(norm(tight.weights)).toBeLessThan(norm(free.weights));
  });
});
