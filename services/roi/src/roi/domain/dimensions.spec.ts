import { dimensionColumn, factColumn, GROUP_LABELS, orderColumn } from './dimensions';

describe('dimension columns', () => {
  it('label groups without a value with why, never a streamer "(none)"', () => {
    for (const f of [dimensionColumn, factColumn, orderColumn])
      for (const d of ['session', 'streamer', 'course', 'channel', 'day', 'all'] as const) expect(f(d)).not.toContain('(none)');
    expect(dimensionColumn('session')).toContain(GROUP_LABELS.noSessionRevenue);
    expect(dimensionColumn('streamer')).toContain(GROUP_LABELS.sessionWithoutStreamer);
    expect(dimensionColumn('streamer', 'l')).toContain('l.streamer_id');
    expect(GROUP_LABELS.noSessionRevenue).toBe('unattributed: no live session within the attribution window');
  });
});
