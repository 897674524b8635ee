/** Dense vector helpers over typed arrays (or plain number arrays). */
export type Vec = Float64Array | Float32Array | number[];

export function dot(a: Vec, b: Vec, aOff = 0, bOff = 0, len = Math.min(a.length - aOff, b.length - bOff)): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[aOff + i] * b[bOff + i];
  return s;
}

export function norm(a: Vec, off = 0, len = a.length - off): number {
  return Math.sqrt(dot(a, a, off, off, len));
}

/** Cosine similarity; 0 when either vector is all zeros (no evidence, not "orthogonal"). */
export function cosine(a: Vec, b: Vec, aOff = 0, bOff = 0, len = Math.min(a.length - aOff, b.length - bOff)): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < len; i++) {
    const x = a[aOff + i];
    const y = b[bOff + i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
}

/** Copy scaled to unit L2 norm (zeros stay zeros). */
export function l2Normalised(a: Vec): Float64Array {
  const out = Float64Array.from(a);
  const n = norm(out);
  if (n > 0) for (let i = 0; i < out.length; i++) out[i] /= n;
  return out;
}

/** Copy scaled to sum 1 (a distribution); zeros stay zeros. Negative entries are clipped to 0. */
export function l1Normalised(a: Vec): Float64Array {
  const out = Float64Array.from(a, (x) => Math.max(0, x));
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i];
  if (s > 0) for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}

/** a += k·b, in place. */
export function addScaled(a: Float64Array, b: Vec, k: number, aOff = 0, bOff = 0, len = b.length - bOff): void {
  for (let i = 0; i < len; i++) a[aOff + i] += k * b[bOff + i];
}

/** Squared Euclidean distance between row slices. */
export function squaredDistance(a: Vec, b: Vec, aOff = 0, bOff = 0, len = Math.min(a.length - aOff, b.length - bOff)): number {
  let s = 0;
  for (let i = 0; i < len; i++) {
    const d = a[aOff + i] - b[bOff + i];
    s += d * d;
  }
  return s;
}
