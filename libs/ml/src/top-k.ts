/**
 * Indices of the k largest scores, best first (ties: lower index first).
 * O(n log k) with a size-k min-heap; `skip(i)` excludes candidates.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  if (k <= 0) return [];
  const heapIdx: number[] = [];
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftUp = (p: number) => {
    while (p > 0) {
      const q = (p - 1) >> 1;
      if (worse(heapIdx[p], heapIdx[q])) {
        [heapIdx[p], heapIdx[q]] = [heapIdx[q], heapIdx[p]];
        p = q;
      } else break;
    }
  };
  const siftDown = (p: number) => {
    const n = heapIdx.length;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < n && worse(heapIdx[l], heapIdx[m])) m = l;
      if (r < n && worse(heapIdx[r], heapIdx[m])) m = r;
      if (m === p) return;
      [heapIdx[p], heapIdx[m]] = [heapIdx[m], heapIdx[p]];
      p = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s) || (skip && skip(i))) continue;
    if (heapIdx.length < k) {
      heapIdx.push(i);
      siftUp(heapIdx.length - 1);
    } else if (worse(heapIdx[0], i)) {
      heapIdx[0] = i;
      siftDown(0);
    }
  }
  return heapIdx.sort((a, b) => scores[b] - scores[a] || a - b);
}
