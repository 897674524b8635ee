import { foldFeatureWeights, nbLogCountRatios, scaleFeatures } from './nb-weights';
import { predictProba, SoftmaxModel } from '@livepromo/ml';
import { SparseVector } from './text-features';

const row = (indices: number[], values?: number[]): SparseVector => ({ indices: Int32Array.from(indices), values: Float32Array.from(values ?? indices.map(() => 1)) });

describe('nbLogCountRatios', () => {
  it('computes |log((p/Σp)/(q/Σq))| with α = 1 on a hand case', () => {
    // class 1: rows {0,1} and {0}; class 0: rows {1,2} and {2}; dim 3.
    // p = 1 + df in class 1 = [3, 2, 1] (Σ 6); q = 1 + df in class 0 = [1, 2, 3] (Σ 6)
    // r = [log 3, log 1, log(1/3)] → |r| = [log 3, 0, log 3]
    const r = nbLogCountRatios([row([0, 1]), row([0]), row([1, 2]), row([2])], [1, 1, 0, 0], 2, 3, 1);
    expect(r[0]).toBeCloseTo(Math.log(3), 6);
    expect(r[1]).toBeCloseTo(0, 6);
    expect(r[2]).toBeCloseTo(Math.log(3), 6);
  });

  it('counts a feature once per row (binarised), whatever its value', () => {
    const a = nbLogCountRatios([row([0], [0.2]), row([1], [5])], [1, 0], 2, 2, 1);
    const b = nbLogCountRatios([row([0], [1]), row([1], [1])], [1, 0], 2, 2, 1);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('takes the largest one-vs-rest ratio over classes for more than two classes', () => {
    // feature 0 only in class 2 (of 3): its one-vs-rest ratio for class 2 is the largest.
    const xs = [row([0]), row([0]), row([1]), row([1]), row([2]), row([2])];
    const ys = [2, 2, 0, 0, 1, 1];
    const r = nbLogCountRatios(xs, ys, 3, 3, 1);
    // class 2 vs rest for feature 0: p = [3,1,1] (Σ5), q = [1,3,3] (Σ7) → log((3/5)/(1/7)) = log(4.2)
    expect(r[0]).toBeCloseTo(Math.log(4.2), 6);
  });
});

describe('foldFeatureWeights', () => {
  it('gives the same probabilities on raw features as the unfolded model on NB-scaled features', () => {
    const weights = Float32Array.from([0.5, 2, 1.25, 0]);
    const model: SoftmaxModel = { dim: 4, classes: 2, weights: Float32Array.from([1, -2, 0.5, 3, -1, 0.25, 2, -3]), bias: Float32Array.from([0.1, -0.2]) };
    const x = row([0, 1, 3], [0.6, 0.8, 0.2]);
    const folded = foldFeatureWeights(model, weights);
    const viaScaled = predictProba(model, scaleFeatures([x], weights)[0]);
    const viaFolded = predictProba(folded, x);
    viaScaled.forEach((p, c) => expect(Math.abs(p - viaFolded[c])).toBeLessThan(1e-7));
  });
});
