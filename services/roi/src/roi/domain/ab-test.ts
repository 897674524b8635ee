import { normalCdf, normalQuantile } from './stats';

export interface ProportionGroup {
  /** Trials (e.g. distinct users who entered the room). */
  n: number;
  /** Successes among them (e.g. distinct users who paid). */
  x: number;
}

export interface TwoProportionResult {
  a: { n: number; x: number; rate: number };
  b: { n: number; x: number; rate: number };
  /** rate_B − rate_A */
  difference: number;
  relativeLift: number | null;
  pooledRate: number;
  z: number;
  pValue: number;
  significant: boolean;
  confidenceInterval: { level: number; low: number; high: number };
  minimumDetectableEffect: number;
  alpha: number;
  power: number;
  computation: string;
}

/**
 * Two-sided two-proportion z-test of H0: p_A = p_B.
 * z = (p_B − p_A) / √(p̄(1−p̄)(1/n_A + 1/n_B)) with the pooled p̄ = (x_A + x_B)/(n_A + n_B);
 * CI for the difference with the unpooled SE √(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B);
 * MDE (absolute) = (z_{1−α/2} + z_{power}) · √(p̄(1−p̄)(1/n_A + 1/n_B)).
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
  const pooled = (a.x + b.x) / (a.n + b.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const diff = pb - pa;
  const z = sePooled > 0 ? diff / sePooled : 0;
  const pValue = sePooled > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1;
  const seUnpooled = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  return {
    a: { n: a.n, x: a.x, rate: pa },
    b: { n: b.n, x: b.x, rate: pb },
    difference: diff,
    relativeLift: pa > 0 ? diff / pa : null,
    pooledRate: pooled,
    z,
    pValue,
    significant: pValue < alpha,
    confidenceInterval: { level: 1 - alpha, low: diff - zAlpha * seUnpooled, high: diff + zAlpha * seUnpooled },
    minimumDetectableEffect: (zAlpha + zPower) * sePooled,
    alpha,
    power,
    computation:
      'two-sided two-proportion z-test: z = (p_B − p_A)/√(p̄(1−p̄)(1/n_A+1/n_B)), p̄ pooled; p = 2(1 − Φ(|z|)); ' +
      'CI = (p_B − p_A) ± z_{1−α/2}·√(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B); MDE = (z_{1−α/2} + z_{power})·√(p̄(1−p̄)(1/n_A+1/n_B))',
  };
}
