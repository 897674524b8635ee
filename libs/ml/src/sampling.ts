/** Seeded, stratified sampling of row indices by label: splits, k folds and samples (used to train and evaluate classifiers). */
import { mulberry32, shuffleInPlace } from './random';

/**
 * Stratified split: within each label, a seeded shuffle, then the first round(testFraction * n)
 * rows go to the test set. Returns row indices.
 */
export function stratifiedSplit(labels: readonly number[], testFraction: number, seed: number): { train: number[]; test: number[] } {
  const rand = mulberry32(seed);
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(rand, byLabel.get(label)!);
    const k = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, k));
    train.push(...rows.slice(k));
  }
  return { train: shuffleInPlace(rand, train), test: test.sort((a, b) => a - b) };
}

/** Row indices grouped by label, labels in ascending order. */
function byLabelSorted(labels: readonly number[]): number[][] {
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  return [...byLabel.keys()].sort((a, b) => a - b).map((l) => byLabel.get(l)!);
}

/**
 * Stratified k-fold: within each label a seeded shuffle, then rows are dealt to folds round-robin,
 * continuing across labels, so every fold gets ⌊n_label/k⌋ or ⌈n_label/k⌉ rows of each label and
 * fold sizes differ by at most one. Returns the test indices of each fold (sorted); the folds are
 * disjoint and together cover every row.
 */
export function stratifiedKFold(labels: readonly number[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error('k-fold needs an integer k >= 2');
  if (k > labels.length) throw new Error(`k-fold with k=${k} needs at least ${k} rows, got ${labels.length}`);
  const rand = mulberry32(seed);
  const folds = Array.from({ length: k }, () => [] as number[]);
  let next = 0;
  for (const rows of byLabelSorted(labels)) {
    for (const i of shuffleInPlace(rand, rows)) {
      folds[next].push(i);
      next = (next + 1) % k;
    }
  }
  return folds.map((f) => f.sort((a, b) => a - b));
}

/**
 * A stratified, seeded sample of n row indices: each label gets its share of n (largest remainder,
 * at least one row per label when n allows), rows within a label chosen by a seeded shuffle.
 * Returned in the original row order. Unlike "the first n rows" it works on a label-sorted file.
 */
export function stratifiedSample(labels: readonly number[], n: number, seed: number): number[] {
  if (n >= labels.length) return labels.map((_, i) => i);
  const groups = byLabelSorted(labels);
  const total = labels.length;
  const exact = groups.map((g) => (g.length * n) / total);
  const take = exact.map((e) => Math.floor(e));
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  let left = n - take.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    take[i]++;
    left--;
  }
  // every label keeps at least one row when n allows (taken from the largest share)
  for (let i = 0; i < groups.length && n >= groups.length; i++) {
    if (take[i] === 0) {
      const donor = take.indexOf(Math.max(...take));
      take[donor]--;
      take[i] = 1;
    }
  }
  const rand = mulberry32(seed);
  const out: number[] = [];
  groups.forEach((g, i) => out.push(...shuffleInPlace(rand, [...g]).slice(0, take[i])));
  return out.sort((a, b) => a - b);
}
