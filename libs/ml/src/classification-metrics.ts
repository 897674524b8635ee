/** Held-out evaluation figures of a classifier. */
export interface ClassificationReport {
  /** correct / n */
  accuracy: number;
  /** unweighted mean over classes of F1 = 2·P·R / (P + R); a class with no predictions and no rows counts 0 */
  macroF1: number;
  /** share of the most frequent true class: what always guessing it would score */
  majorityBaseline: number;
  n: number;
  labels: string[];
  /** confusion[t][p] = rows whose true label is t and predicted label is p */
  confusion: number[][];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
}

export function classificationReport(truth: readonly number[], predicted: readonly number[], labels: readonly string[]): ClassificationReport {
  if (truth.length !== predicted.length) throw new Error('truth and predicted differ in length');
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const n = truth.length;
  return {
    accuracy: n ? correct / n : 0,
    macroF1: k ? perClass.reduce((a, c) => a + c.f1, 0) / k : 0,
    majorityBaseline: n ? Math.max(...perClass.map((c) => c.support)) / n : 0,
    n,
    labels: [...labels],
    confusion,
    perClass,
  };
}

/** Index of the largest value (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** ROC AUC by the rank-sum (Mann–Whitney U) formula, ties counted half. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const idx = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[idx[k]]) {
      rankSumPos += avgRank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
