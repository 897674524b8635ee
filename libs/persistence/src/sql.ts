/**
 * Helpers for multi-row, parameterised SQL (values never go into the SQL text).
 * `INSERT … VALUES ${placeholders(rows.length, 3)}` with `rows.flat()` as parameters.
 */

/** `($1,$2,$3),($4,$5,$6)…` for `rows` rows of `cols` parameters, starting at $offset+1. */
export function placeholders(rows: number, cols: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p: string[] = [];
    for (let c = 0; c < cols; c++) p.push(`$${offset + r * cols + c + 1}`);
    out.push(`(${p.join(',')})`);
  }
  return out.join(',');
}

/** Splits rows so that one statement stays under Postgres's 65,535 parameters (`cols` parameters per row). */
export function chunks<T>(rows: readonly T[], cols: number, maxParams = 30000): T[][] {
  const size = Math.max(1, Math.floor(maxParams / cols));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
