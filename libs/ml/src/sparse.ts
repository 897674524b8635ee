/** Compressed sparse rows: row r's entries are cols/vals[ptr[r] .. ptr[r+1]). */
export interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

/** Builds a CSR from (row, col, value) triples; duplicates are summed. */
export function csrFromTriples(rows: number, cols: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): Csr {
  const m = new Map<number, number>();
  for (let i = 0; i < r.length; i++) {
    const key = r[i] * cols + c[i];
    m.set(key, (m.get(key) ?? 0) + v[i]);
  }
  const keys = [...m.keys()].sort((a, b) => a - b);
  const ptr = new Int32Array(rows + 1);
  const idx = new Int32Array(keys.length);
  const val = new Float64Array(keys.length);
  keys.forEach((key, i) => {
    const row = Math.floor(key / cols);
    ptr[row + 1]++;
    idx[i] = key - row * cols;
    val[i] = m.get(key) as number;
  });
  for (let i = 0; i < rows; i++) ptr[i + 1] += ptr[i];
  return { rows, cols, ptr, idx, val };
}

export function transpose(a: Csr): Csr {
  const ptr = new Int32Array(a.cols + 1);
  for (let i = 0; i < a.idx.length; i++) ptr[a.idx[i] + 1]++;
  for (let i = 0; i < a.cols; i++) ptr[i + 1] += ptr[i];
  const next = Int32Array.from(ptr.subarray(0, a.cols));
  const idx = new Int32Array(a.idx.length);
  const val = new Float64Array(a.idx.length);
  for (let r = 0; r < a.rows; r++)
    for (let p = a.ptr[r]; p < a.ptr[r + 1]; p++) {
      const q = next[a.idx[p]]++;
      idx[q] = r;
      val[q] = a.val[p];
    }
  return { rows: a.cols, cols: a.rows, ptr, idx, val };
}
