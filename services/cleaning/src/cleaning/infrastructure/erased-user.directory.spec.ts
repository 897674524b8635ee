import { JsonLogger } from '@livepromo/observability';
import type { CleaningConfig } from '../cleaning.config';
import { erasedUserHash } from '../domain/erased-user';
import type { CleaningRepository } from './cleaning.repository';
import { ErasedUserDirectory } from './erased-user.directory';

describe('ErasedUserDirectory', () => {
  const rows: { tenantId: string; userHash: string; erasedAtMs: number }[] = [];
  const repo = { listErasures: async () => rows } as unknown as CleaningRepository;
  const dir = () => new ErasedUserDirectory({ ERASED_USERS_REFRESH_MS: 60_000 } as CleaningConfig, repo, {} as JsonLogger);

  it('answers by (tenant, user) from the hashed rows it loads, per tenant, and null without a tombstone', async () => {
    rows.splice(0, rows.length, { tenantId: 't1', userHash: erasedUserHash('t1', 'u1'), erasedAtMs: 1000 });
    const d = dir();
    await d.reload();
    expect(d.erasedAt('t1', 'u1')).toBe(1000);
    expect(d.erasedAt('t2', 'u1')).toBeNull();
    expect(d.erasedAt('t1', 'u2')).toBeNull();
    expect(d.erasedAt('t1', undefined)).toBeNull();
  });

  it('keeps the latest erasedAt, and a reload does not drop a tombstone recorded in this process meanwhile', async () => {
    rows.splice(0, rows.length, { tenantId: 't1', userHash: erasedUserHash('t1', 'u1'), erasedAtMs: 1000 });
    const d = dir();
    d.record('t1', 'u1', 2000);
    d.record('t1', 'u9', 500);
    await d.reload(); // Postgres still has the older one for u1 and none for u9 (read before they were written)
    expect(d.erasedAt('t1', 'u1')).toBe(2000);
    expect(d.erasedAt('t1', 'u9')).toBe(500);
    d.record('t1', 'u1', 1500);
    expect(d.erasedAt('t1', 'u1')).toBe(2000);
  });
});
