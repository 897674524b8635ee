export interface ReplayInput {
  readonly occurredAt: string;
}

export interface ReplayStep<T extends ReplayInput> {
  /** Wall-clock delay before publishing this event (ms), after the previous one. */
  readonly sleepMs: number;
  /** The event with occurredAt shifted so the session looks live. */
  readonly event: T;
}

/**
 * Sorts events by occurredAt (stable), and for each computes the sleep before it:
 * min(maxGapMs, gap / speed), gap = occurredAt − previous occurredAt.
 * occurredAt is shifted: newTime = startMs + (cumulative sleeps up to this event), so the
 * replayed session's event times follow the compressed wall clock from `startMs`.
 */
export function buildReplaySchedule<T extends ReplayInput>(
  events: readonly T[],
  opts: { readonly speed: number; readonly maxGapMs: number; readonly startMs: number },
): ReplayStep<T>[] {
  if (!(opts.speed > 0)) throw new Error('speed must be > 0');
  if (!(opts.maxGapMs >= 0)) throw new Error('maxGapMs must be >= 0');
  const sorted = events
    .map((e, i) => ({ e, i, t: Date.parse(e.occurredAt) }))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const out: ReplayStep<T>[] = [];
  let prev: number | undefined;
  let clock = opts.startMs;
  for (const { e, t } of sorted) {
    if (Number.isNaN(t)) throw new Error(`invalid occurredAt: ${e.occurredAt}`);
    const sleepMs = prev === undefined ? 0 : Math.min(opts.maxGapMs, Math.max(0, t - prev) / opts.speed);
    clock += sleepMs;
    out.push({ sleepMs, event: { ...e, occurredAt: new Date(Math.round(clock)).toISOString() } });
    prev = t;
  }
  return out;
}
