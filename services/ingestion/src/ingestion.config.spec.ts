import { missingProductionSecrets } from './ingestion.config';

describe('production secrets (safe defaults)', () => {
  const base = { LIVEPROMO_MODE: 'distributed', LIVEPROMO_INSECURE_DEV: '0' as const };

  it('the distributed mode names each missing secret', () => {
    expect(missingProductionSecrets(base).map((p) => p.variable)).toEqual(['OPERATOR_TOKEN', 'SECRET_ENCRYPTION_KEY']);
    expect(missingProductionSecrets({ ...base, OPERATOR_TOKEN: 'x'.repeat(16) }).map((p) => p.variable)).toEqual(['SECRET_ENCRYPTION_KEY']);
    expect(missingProductionSecrets({ ...base, OPERATOR_TOKEN: 'x'.repeat(16), SECRET_ENCRYPTION_KEY: 'y'.repeat(16) })).toEqual([]);
  });

  it('starts without them only when LIVEPROMO_INSECURE_DEV=1 says so, or in the embedded mode', () => {
    expect(missingProductionSecrets({ ...base, LIVEPROMO_INSECURE_DEV: '1' })).toEqual([]);
    expect(missingProductionSecrets({ ...base, LIVEPROMO_MODE: 'embedded' })).toEqual([]);
  });
});
