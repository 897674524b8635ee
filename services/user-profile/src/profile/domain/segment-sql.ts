import { DAY_MS } from './decay';
import { RFM_THRESHOLDS } from './rfm';

/**
 * SQL expressions (plain Postgres, no extensions) that compute the same R/F scores and RFM
 * segment as rfm.ts, from the columns `last_paid_ms` and `paid_orders`, at the instant bound
 * to `$asOfParam`. Built only from numeric constants, never from input.
 */
export function rScoreSql(asOfParam: string): string {
  const [a, b, c, d] = RFM_THRESHOLDS.recencyDays.map((x) => x * DAY_MS);
  const age = `(${asOfParam}::bigint - last_paid_ms)`;
  return `(CASE WHEN last_paid_ms IS NULL THEN 0 WHEN ${age} <= ${a} THEN 5 WHEN ${age} <= ${b} THEN 4 WHEN ${age} <= ${c} THEN 3 WHEN ${age} <= ${d} THEN 2 ELSE 1 END)`;
}

export function fScoreSql(): string {
  const [a, b, c, d] = RFM_THRESHOLDS.frequencyMin;
  return `(CASE WHEN paid_orders <= 0 THEN 0 WHEN paid_orders >= ${d} THEN 5 WHEN paid_orders >= ${c} THEN 4 WHEN paid_orders >= ${b} THEN 3 WHEN paid_orders >= ${a} THEN 2 ELSE 1 END)`;
}

/** Mirrors segmentOf(r, f). */
export function rfmSegmentSql(asOfParam: string): string {
  const r = rScoreSql(asOfParam);
  const f = fScoreSql();
  return `(CASE WHEN ${f} = 0 OR last_paid_ms IS NULL THEN 'prospects'
    WHEN ${r} >= 4 AND ${f} >= 4 THEN 'champions'
    WHEN ${r} >= 3 AND ${f} >= 3 THEN 'loyal'
    WHEN ${r} >= 4 AND ${f} = 1 THEN 'new'
    WHEN ${r} >= 3 THEN 'promising'
    WHEN ${f} >= 3 THEN 'at_risk'
    WHEN ${r} = 2 THEN 'hibernating'
    ELSE 'lost' END)`;
}
