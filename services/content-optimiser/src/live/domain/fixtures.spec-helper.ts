import { METRIC_NAMES, WindowMetrics } from './live-window';

/** A window with every metric at `base`, overridden where given (test helper). */
export function windowOf(over: Partial<WindowMetrics> = {}, base = 1): WindowMetrics {
  const w = {} as WindowMetrics;
  for (const m of METRIC_NAMES) w[m] = base;
  return { ...w, ...over };
}
