/**
 * Diminishing-returns response curves r(s) = a·ln(1 + s/b) (a, b > 0) and budget allocation.
 * Pure, deterministic functions; money is passed in minor units as plain numbers.
 */

export interface SpendPoint {
  spend: number;
  revenue: number;
}

export interface LogCurve {
  a: number;
  b: number;
  /** Sum of squared residuals and R² of the fit. */
  sse: number;
  r2: number;
  n: number;
}

export const predictRevenue = (c: Pick<LogCurve, 'a' | 'b'>, spend: number): number => c.a * Math.log1p(spend / c.b);
/** dr/ds = a / (b + s): revenue brought by the next unit of spend (marginal ROI). */
export const marginalReturn = (c: Pick<LogCurve, 'a' | 'b'>, spend: number): number => c.a / (c.b + spend);

function fitA(points: readonly SpendPoint[], b: number): { a: number; sse: number } {
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const x = Math.log1p(p.spend / b);
    sxy += x * p.revenue;
    sxx += x * x;
  }
  const a = sxx > 0 ? Math.max(sxy / sxx, 0) : 0;
  let sse = 0;
  for (const p of points) sse += (p.revenue - a * Math.log1p(p.spend / b)) ** 2;
  return { a, sse };
}

/**
 * Least-squares fit of r = a·ln(1 + s/b): for a fixed b the best a is closed-form
 * (a = Σ x·r / Σ x², x = ln(1 + s/b)); b is searched on a log grid over
 * [min positive spend / 50, max spend · 50] and refined by golden-section search in log b.
 * Needs at least 2 points with positive spend.
 */
export function fitLogCurve(points: readonly SpendPoint[]): LogCurve {
  const spends = points.map((p) => p.spend).filter((s) => s > 0);
  if (spends.length < 2) throw new RangeError('fitting a response curve needs at least 2 points with positive spend');
  const lo = Math.log(Math.min(...spends) / 50);
  const hi = Math.log(Math.max(...spends) * 50);
  const steps = 80;
  let best = 0;
  let bestSse = Infinity;
  for (let i = 0; i <= steps; i++) {
    const lb = lo + ((hi - lo) * i) / steps;
    const { sse } = fitA(points, Math.exp(lb));
    if (sse < bestSse) {
      bestSse = sse;
      best = lb;
    }
  }
  const width = (hi - lo) / steps;
  let l = best - width;
  let r = best + width;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const m1 = r - phi * (r - l);
    const m2 = l + phi * (r - l);
    if (fitA(points, Math.exp(m1)).sse <= fitA(points, Math.exp(m2)).sse) r = m2;
    else l = m1;
  }
  const b = Math.exp((l + r) / 2);
  const { a, sse } = fitA(points, b);
  const mean = points.reduce((s, p) => s + p.revenue, 0) / points.length;
  const sst = points.reduce((s, p) => s + (p.revenue - mean) ** 2, 0);
  return { a, b, sse, r2: sst > 0 ? 1 - sse / sst : 1, n: points.length };
}

export interface BudgetChannel {
  channel: string;
  curve: Pick<LogCurve, 'a' | 'b'>;
  min: number;
  max: number;
}

export interface BudgetAllocation {
  channel: string;
  spend: number;
  predictedRevenue: number;
  marginalRoi: number;
  bound: 'min' | 'max' | 'interior';
}

export interface BudgetPlan {
  total: number;
  allocations: BudgetAllocation[];
  predictedRevenue: number;
  /** Shadow price: the common marginal return of the channels not at a bound. */
  lambda: number;
  computation: string;
}

/**
 * Maximises Σ a_i·ln(1 + s_i/b_i) subject to Σ s_i = total and min_i ≤ s_i ≤ max_i.
 * The objective is concave, so the KKT conditions are sufficient: s_i(λ) = clamp(a_i/λ − b_i, min_i, max_i)
 * (every interior channel has marginal return a_i/(b_i + s_i) = λ). λ is found by bisection on
 * Σ s_i(λ) = total (decreasing in λ); spends are then rounded to integer minor units, the
 * remainder going to the channels with the largest marginal return. If Σ max ≤ total, every channel gets its max.
 */
export function planBudget(channels: readonly BudgetChannel[], total: number): BudgetPlan {
  if (!Number.isInteger(total) || total < 0) throw new RangeError('total budget must be a non-negative integer (minor units)');
  for (const c of channels) {
    if (!(c.min >= 0 && c.max >= c.min)) throw new RangeError(`channel ${c.channel}: need 0 ≤ min ≤ max`);
  }
  const minSum = channels.reduce((s, c) => s + c.min, 0);
  if (minSum > total) throw new RangeError(`the per-channel minimums (${minSum}) exceed the total budget (${total})`);
  const clampAt = (lambda: number) =>
    channels.map((c) => (c.curve.a <= 0 ? c.min : Math.min(c.max, Math.max(c.min, c.curve.a / lambda - c.curve.b))));
  const maxSum = channels.reduce((s, c) => s + c.max, 0);
  let spends: number[];
  let lambda: number;
  if (maxSum <= total) {
    spends = channels.map((c) => c.max);
    lambda = Math.min(...channels.map((c) => marginalReturn(c.curve, c.max)));
  } else {
    let lo = 1e-12;
    let hi = Math.max(1e-9, ...channels.map((c) => marginalReturn(c.curve, c.min))) * 2;
    for (let it = 0; it < 200; it++) {
      const mid = Math.sqrt(lo * hi);
      const sum = clampAt(mid).reduce((s, v) => s + v, 0);
      if (sum > total) lo = mid;
      else hi = mid;
    }
    lambda = hi;
    spends = clampAt(hi);
  }
  // integer minor units; hand the remainder to the best marginal returns that still have room
  const ints = spends.map((s, i) => Math.min(channels[i].max, Math.max(channels[i].min, Math.floor(s))));
  let rest = Math.min(total, maxSum) - ints.reduce((s, v) => s + v, 0);
  const order = channels
    .map((_, i) => i)
    .sort((i, j) => marginalReturn(channels[j].curve, ints[j]) - marginalReturn(channels[i].curve, ints[i]) || i - j);
  for (const i of order) {
    if (rest <= 0) break;
    const room = Math.floor(channels[i].max - ints[i]);
    const add = Math.min(room, rest);
    ints[i] += add;
    rest -= add;
  }
  const allocations = channels.map((c, i) => ({
    channel: c.channel,
    spend: ints[i],
    predictedRevenue: predictRevenue(c.curve, ints[i]),
    marginalRoi: marginalReturn(c.curve, ints[i]),
    bound: ints[i] <= c.min ? ('min' as const) : ints[i] >= c.max ? ('max' as const) : ('interior' as const),
  }));
  return {
    total,
    allocations,
    predictedRevenue: allocations.reduce((s, a) => s + a.predictedRevenue, 0),
    lambda,
    computation:
      'maximise Σ a_i·ln(1+s_i/b_i) s.t. Σ s_i = total, min_i ≤ s_i ≤ max_i; KKT: s_i = clamp(a_i/λ − b_i, min_i, max_i), ' +
      'λ (the equalised marginal return) by bisection; spends rounded down to minor units, remainder to the highest marginal returns.',
  };
}

export interface BreakEvenOffer {
  /** The plan that stops where the marginal ROI reaches 1 (λ = 1): spending more returns less than it costs. */
  plan: BudgetPlan;
  /** What the rest of the budget (total − break-even spend) would buy if spent as in the full plan. */
  remainder: {
    budgetMinor: number;
    expectedRevenueMinor: number;
    /** expected revenue of the remainder / remainder (average ROI of the rest; < 1 = it loses money). */
    roi: number | null;
    /** Marginal ROI at the end of the full plan (its λ). */
    marginalRoiAtFullSpend: number;
  };
  computation: string;
}

/**
 * Break-even stop: where the full plan's marginal ROI (λ) is below 1, the spends s_i = clamp(a_i − b_i, min_i, max_i)
 * (marginal ROI a_i/(b_i + s_i) = 1) maximise net revenue Σ r_i(s_i) − Σ s_i; the plan for that (integer) total is
 * returned with what the rest of the budget would buy. Null when the full plan never falls below marginal ROI 1.
 */
export function breakEvenOffer(channels: readonly BudgetChannel[], full: BudgetPlan): BreakEvenOffer | null {
  if (!(full.lambda < 1)) return null;
  const minSum = channels.reduce((s, c) => s + c.min, 0);
  const atOne = channels.reduce((s, c) => s + (c.curve.a <= 0 ? c.min : Math.min(c.max, Math.max(c.min, c.curve.a - c.curve.b))), 0);
  const stopTotal = Math.min(full.total, Math.max(minSum, Math.floor(atOne)));
  if (stopTotal >= full.total) return null;
  const plan = planBudget(channels, stopTotal);
  const spentFull = full.allocations.reduce((s, a) => s + a.spend, 0);
  const budgetMinor = spentFull - stopTotal;
  const expectedRevenueMinor = full.predictedRevenue - plan.predictedRevenue;
  return {
    plan,
    remainder: {
      budgetMinor,
      expectedRevenueMinor,
      roi: budgetMinor > 0 ? expectedRevenueMinor / budgetMinor : null,
      marginalRoiAtFullSpend: full.lambda,
    },
    computation:
      'break-even spends s_i = clamp(a_i − b_i, min_i, max_i) (marginal ROI a_i/(b_i + s_i) = 1), total rounded down to minor units and planned as above; ' +
      'remainder = full-plan spend − break-even spend, its expected revenue = predicted revenue of the full plan − that of the break-even plan',
  };
}
