/** Dimensions a report can be grouped by; 'all' is the one-row total. */
export const DIMENSIONS = ['session', 'streamer', 'course', 'channel', 'day', 'all'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Column expression of a dimension (a fixed whitelist: never interpolate user input). */
export function dimensionColumn(d: Dimension, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  switch (d) {
    case 'session':
      return `COALESCE(${p}session_id, '(none)')`;
    case 'streamer':
      return `COALESCE(${p}streamer_id, '(none)')`;
    case 'course':
      return `COALESCE(${p}course_id, '(none)')`;
    case 'channel':
      return `COALESCE(${p}channel, '(none)')`;
    case 'day':
      return `to_char(${p}day, 'YYYY-MM-DD')`;
    case 'all':
      return `'all'`;
  }
}
