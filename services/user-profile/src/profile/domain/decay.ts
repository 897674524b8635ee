/**
 * Exponential time decay, order-independent.
 *
 * A decayed sum is stored relative to a reference time `ref`: S_ref = Σ w_i · 2^((t_i − ref)/h).
 * Its value at any instant `at` is S_ref · 2^((ref − at)/h) = Σ w_i · 2^(−(at − t_i)/h),
 * which does not depend on the order in which the terms were added. When a newer event
 * moves the reference forward, every stored sum is rescaled by 2^((ref_old − ref_new)/h),
 * so stored factors never exceed 1 and never overflow.
 */
export const DAY_MS = 86_400_000;

/** 2^((from − to)/h): multiply a sum referenced at `from` by this to reference it at `to`. */
export function decayFactor(fromMs: number, toMs: number, halfLifeMs: number): number {
  if (!(halfLifeMs > 0)) throw new RangeError(`half-life must be positive, got ${halfLifeMs}`);
  return Math.pow(2, (fromMs - toMs) / halfLifeMs);
}

/** The value at `atMs` of a sum referenced at `refMs`. */
export function decayedValueAt(sum: number, refMs: number, atMs: number, halfLifeMs: number): number {
  return sum * decayFactor(refMs, atMs, halfLifeMs);
}

/** Rescales every value of a map in place by `factor`. */
export function rescaleMap(map: Record<string, number>, factor: number): void {
  for (const k of Object.keys(map)) map[k] *= factor;
}

/** Adds `weight` observed at `tMs` into `map[key]`, a sum referenced at `refMs` (tMs ≤ refMs). */
export function addDecayed(map: Record<string, number>, key: string, weight: number, tMs: number, refMs: number, halfLifeMs: number): void {
  if (weight === 0) return;
  map[key] = (map[key] ?? 0) + weight * decayFactor(tMs, refMs, halfLifeMs);
}
