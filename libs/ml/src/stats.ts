/** Standard normal distribution and exact-test helpers (pure, deterministic, double precision). */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erfc(x) with full double-precision tail accuracy (no 1 − erf cancellation):
 * for |x| < 2 the everywhere-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)),
 * for x ≥ 2 the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) evaluated by
 * the modified Lentz method; erfc(−x) = 2 − erfc(x). Relative error ~1e-15 (checked against tabulated values,
 * e.g. erfc(10/√2) = 1.523970604832105e-23).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27) return 0; // below the smallest double
  // Lentz: f = b0 + a1/(b1 + a2/(b2 + …)) with b_j = x, a_j = j/2
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let j = 1; j < 500; j++) {
    const a = j / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erf(x) = 1 − erfc(x) (accurate near 0 through the series). */
export function erf(x: number): number {
  if (Math.abs(x) < 2) return Math.sign(x) * erfSeries(Math.abs(x));
  return 1 - erfc(x);
}

/** Φ(z), the standard normal CDF, = erfc(−z/√2)/2 (accurate in both tails). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided normal tail probability 2·(1 − Φ(|z|)) = erfc(|z|/√2), without underflow to 0 before |z| ≈ 38. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Φ⁻¹(p): Acklam's rational approximation (relative error < 1.2e-9) refined by one Halley step on the accurate Φ. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const x = acklam(p);
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function acklam(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -acklam(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Fisher's exact test, two-sided, of a 2×2 table [[xA, nA − xA], [xB, nB − xB]]: the p-value sums the hypergeometric
 * probabilities (margins fixed) of every table no more probable than the observed one (relative tolerance 1e-7, as R's fisher.test).
 * Stable for any counts: the probabilities are built relative to the mode from the ratio P(k+1)/P(k) =
 * (nA − k)(m − k) / ((k + 1)(nB − m + k + 1)) and normalised by their sum (no ln Γ of huge arguments); the walk out from the
 * mode stops once a term is below e^-745 of the peak (zero in double precision), so the work is bounded (~40 standard deviations).
 */
export function fisherExactTwoSided(xA: number, nA: number, xB: number, nB: number): number {
  const m = xA + xB;
  const N = nA + nB;
  const lo = Math.max(0, m - nB);
  const hi = Math.min(m, nA);
  const logRatio = (k: number) => Math.log(nA - k) + Math.log(m - k) - Math.log(k + 1) - Math.log(nB - m + k + 1); // ln P(k+1)/P(k)
  const mode = Math.min(hi, Math.max(lo, Math.floor(((m + 1) * (nA + 1)) / (N + 2))));
  const weights: [number, number][] = [[mode, 0]]; // (k, ln P(k)/P(mode))
  let lw = 0;
  for (let k = mode; k < hi && lw > -745; k++) weights.push([k + 1, (lw += logRatio(k))]);
  lw = 0;
  for (let k = mode; k > lo && lw > -745; k--) weights.push([k - 1, (lw -= logRatio(k - 1))]);
  const obs = weights.find(([k]) => k === xA)?.[1];
  let total = 0;
  let tail = 0;
  for (const [, w] of weights) {
    const e = Math.exp(w);
    total += e;
    if (obs !== undefined && w <= obs + 1e-7) tail += e;
  }
  return obs === undefined ? 0 : Math.min(1, tail / total);
}

/** Wilson score interval of a proportion x/n at the two-sided level given by z. */
export function wilsonInterval(x: number, n: number, z: number): { low: number; high: number } {
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: x === 0 ? 0 : Math.max(0, centre - half), high: x === n ? 1 : Math.min(1, centre + half) };
}

/** Rounds to `digits` decimals for presentation (never used inside computations). */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
