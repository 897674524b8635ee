import { cleaningConfigSchema, parseTestAccounts } from './cleaning.config';

describe('cleaning config', () => {
  it('has working defaults', () => {
    const c = cleaningConfigSchema.parse({});
    expect(c.FX_TO_CNY).toMatchObject({ CNY: 1, USD: 7.1 });
    expect(c.NAIVE_TIME_OFFSET).toBe(480);
    expect(c.TEST_ACCOUNTS).toEqual({});
    expect(c.DEDUP_WINDOW_MS).toBe(86_400_000);
  });

  it('parses the FX table, offsets and test accounts from strings', () => {
    const c = cleaningConfigSchema.parse({ FX_TO_CNY: 'USD=7.2', NAIVE_TIME_OFFSET: '-05:00', TEST_ACCOUNTS: 'tenant-a:u1|u2; tenant-b:u3' });
    expect(c.FX_TO_CNY).toEqual({ CNY: 1, USD: 7.2 });
    expect(c.NAIVE_TIME_OFFSET).toBe(-300);
    expect(c.TEST_ACCOUNTS).toEqual({ 'tenant-a': ['u1', 'u2'], 'tenant-b': ['u3'] });
  });

  it('names the bad variable', () => {
    const r = cleaningConfigSchema.safeParse({ FX_TO_CNY: 'USD:7' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['FX_TO_CNY'], message: expect.stringContaining('bad FX entry') });
    expect(() => parseTestAccounts('nocolon')).toThrow(/expected tenant:user1\|user2/);
    expect(cleaningConfigSchema.safeParse({ NAIVE_TIME_OFFSET: '8' }).success).toBe(false);
  });
});
