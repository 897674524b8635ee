import { fisherExactTwoSided, normalCdf, normalQuantile, twoSidedNormalP, wilsonInterval } from '@livepromo/ml';

export interface ProportionGroup {
  /** Trials (e.g. distinct users who entered the room). */
  n: number;
  /** Successes among them (e.g. distinct users who paid). */
  x: number;
}

export type TestName = 'two-proportion z-test (pooled)' | "Fisher's exact test (two-sided)";

export interface TwoProportionResult {
  a: { n: number; x: number; rate: number; wilson: { low: number; high: number } };
  b: { n: number; x: number; rate: number; wilson: { low: number; high: number } };
  /** rate_B − rate_A */
  difference: number;
  relativeLift: number | null;
  pooledRate: number;
  /** z of the pooled two-proportion test (reported for every sample size; null when both rates are 0 or both 1). */
  z: number | null;
  /** p-value of the test that ran (`testUsed`). */
  pValue: number;
  /** Which test gave pValue: Fisher's exact when any expected cell count is below 5, else the pooled z-test. */
  testUsed: TestName;
  minExpectedCellCount: number;
  /** Decision rule: the Newcombe interval for the difference excludes 0. */
  significant: boolean;
  /** Whether pValue < α agrees with the interval's decision (they can differ at the margin; the interval decides). */
  testAgreesWithInterval: boolean;
  confidenceInterval: { level: number; low: number; high: number; method: string };
  /** Smallest absolute difference from rate_A detectable with the stated power at these sample sizes (null when none is). */
  minimumDetectableEffect: number | null;
  /** Power at the returned MDE, computed back with the same formula (≈ power). */
  powerAtMde: number | null;
  /** The MDE is an increase of B over A's rate (a decrease only when A's rate is 1 or no increase reaches the power). */
  mdeDirection: 'increase' | 'decrease' | null;
  alpha: number;
  power: number;
  computation: string;
}

/**
 * Power of the two-sided pooled z-test at level α to detect p_B = p_A + δ (normal approximation; unpooled variances
 * under the alternative): power = Φ((δ − z_{1−α/2}·SE₀)/SE₁) + Φ((−δ − z_{1−α/2}·SE₀)/SE₁), SE₁ = √(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B),
 * SE₀ = √(p̄(1−p̄)(1/n_A + 1/n_B)) with p̄ = (n_A·p_A + n_B·p_B)/(n_A + n_B).
 */
export function powerAt(pA: number, delta: number, nA: number, nB: number, alpha: number): number {
  const pB = pA + delta;
  if (pB < 0 || pB > 1) return NaN;
  const zA = normalQuantile(1 - alpha / 2);
  const pbar = (nA * pA + nB * pB) / (nA + nB);
  const se0 = Math.sqrt(pbar * (1 - pbar) * (1 / nA + 1 / nB));
  const se1 = Math.sqrt((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB);
  if (se1 === 0) return delta === 0 ? alpha : 1;
  return normalCdf((delta - zA * se0) / se1) + normalCdf((-delta - zA * se0) / se1);
}

/**
 * MDE: the smallest increase δ > 0 over p_A with powerAt(p_A, δ) ≥ power (a decrease when p_A = 1 or no increase reaches it),
 * by bisection to 1e-12 (power grows with |δ| on each side).
 * Baseline p_A = observed rate of A. Null when even δ = 1 − p_A (or −p_A) does not reach the power.
 */
export function minimumDetectableEffect(
  pA: number,
  nA: number,
  nB: number,
  alpha: number,
  power: number,
): { mde: number; power: number; direction: 'increase' | 'decrease' } | null {
  const solve = (sign: 1 | -1): number | null => {
    const maxD = sign === 1 ? 1 - pA : pA;
    if (maxD <= 0 || !(powerAt(pA, sign * maxD, nA, nB, alpha) >= power)) return null;
    let lo = 0;
    let hi = maxD;
    for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
      const mid = (lo + hi) / 2;
      if (powerAt(pA, sign * mid, nA, nB, alpha) >= power) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const up = solve(1);
  if (up !== null) return { mde: up, power: powerAt(pA, up, nA, nB, alpha), direction: 'increase' };
  const down = solve(-1);
  if (down !== null) return { mde: down, power: powerAt(pA, -down, nA, nB, alpha), direction: 'decrease' };
  return null;
}

/**
 * Compares two proportions (H0: p_A = p_B), one consistent method:
 * - interval: Newcombe's hybrid score interval (method 10) for p_B − p_A, built from the two Wilson score intervals
 *   [l, u]: low = d − √((p_B − l_B)² + (u_A − p_A)²), high = d + √((u_B − p_B)² + (p_A − l_A)²); never zero-width, also at 0/n or n/n;
 * - decision: significant iff that interval excludes 0;
 * - p-value: Fisher's exact two-sided test when any expected cell count is below 5, else the pooled z-test,
 *   p = erfc(|z|/√2) (no underflow: p(z = 10) = 1.52e-23);
 * - MDE: solved numerically so that the power of the pooled test (normal approximation, unpooled variances at p_A and p_A + MDE) equals `power`.
 */
export function twoProportionTest(a: ProportionGroup, b: ProportionGroup, alpha = 0.05, power = 0.8): TwoProportionResult {
  for (const [name, g] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (!Number.isInteger(g.n) || !Number.isInteger(g.x) || g.n <= 0 || g.x < 0 || g.x > g.n) {
      throw new RangeError(`group ${name} needs integers 0 ≤ x ≤ n and n > 0 (got x=${g.x}, n=${g.n})`);
    }
  }
  const pa = a.x / a.n;
  const pb = b.x / b.n;
  const N = a.n + b.n;
  const pooled = (a.x + b.x) / N;
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const diff = pb - pa;
  const z = sePooled > 0 ? diff / sePooled : null;
  const successes = a.x + b.x;
  const failures = N - successes;
  const minExpected = Math.min((a.n * successes) / N, (a.n * failures) / N, (b.n * successes) / N, (b.n * failures) / N);
  const exact = minExpected < 5;
  const pValue = exact ? fisherExactTwoSided(a.x, a.n, b.x, b.n) : z === null ? 1 : twoSidedNormalP(z);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const wa = wilsonInterval(a.x, a.n, zAlpha);
  const wb = wilsonInterval(b.x, b.n, zAlpha);
  const low = diff - Math.sqrt((pb - wb.low) ** 2 + (wa.high - pa) ** 2);
  const high = diff + Math.sqrt((wb.high - pb) ** 2 + (pa - wa.low) ** 2);
  const significant = low > 0 || high < 0;
  const mde = minimumDetectableEffect(pa, a.n, b.n, alpha, power);
  return {
    a: { n: a.n, x: a.x, rate: pa, wilson: wa },
    b: { n: b.n, x: b.x, rate: pb, wilson: wb },
    difference: diff,
    relativeLift: pa > 0 ? diff / pa : null,
    pooledRate: pooled,
    z,
    pValue,
    testUsed: exact ? "Fisher's exact test (two-sided)" : 'two-proportion z-test (pooled)',
    minExpectedCellCount: minExpected,
    significant,
    testAgreesWithInterval: pValue < alpha === significant,
    confidenceInterval: {
      level: 1 - alpha,
      low,
      high,
      method: "Newcombe's hybrid score interval (method 10) from Wilson score intervals",
    },
    minimumDetectableEffect: mde?.mde ?? null,
    powerAtMde: mde?.power ?? null,
    mdeDirection: mde?.direction ?? null,
    alpha,
    power,
    computation:
      "significant iff the Newcombe hybrid score interval for p_B − p_A (from the Wilson intervals of each rate) excludes 0; " +
      `p-value: ${exact ? `Fisher's exact two-sided test (an expected cell count is ${minExpected.toFixed(2)} < 5)` : 'two-sided pooled z-test, z = (p_B − p_A)/√(p̄(1−p̄)(1/n_A+1/n_B)), p = erfc(|z|/√2)'}; ` +
      "MDE = smallest increase δ (a decrease if A's rate is 1) with power(δ) = Φ((δ − z_{1−α/2}SE₀)/SE₁) + Φ((−δ − z_{1−α/2}SE₀)/SE₁) ≥ power, SE₁ = √(p_A(1−p_A)/n_A + (p_A+δ)(1−p_A−δ)/n_B), " +
      'SE₀ pooled under H0, baseline p_A = observed rate of A, solved by bisection',
  };
}
