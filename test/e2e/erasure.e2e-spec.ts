/**
 * Erasure holds for every tenant setting (issue #18): for a tenant that pseudonymises user ids and
 * one that does not, a client uses the user's raw id on every route (profile, test accounts, erasure);
 * after `DELETE /v1/profiles/{id}` no service's database rows or cache entries hold the user (raw id
 * or pseudonym), and a late event for the user brings it back nowhere (cleaning's erasure tombstone discards it
 * as `erased_user`; user-profile's tombstone holds too).
 * Runs against the embedded platform with its LIVEPROMO_DEBUG_STORES=1 probe, which searches every
 * service's PGlite tables (`row::text LIKE`) and in-memory cache.
 */
import { waitFor } from '@livepromo/testing';
import { EmbeddedProcess, http } from './harness';

const OPERATOR = 'erasure-operator-token-0123456789';

interface Hit {
  service: string;
  where: string;
  count: number;
}

describe('erasure for every tenant setting (embedded platform)', () => {
  const p = new EmbeddedProcess(4460 + Math.floor(Math.random() * 40), { OPERATOR_TOKEN: OPERATOR, LIVEPROMO_DEBUG_STORES: '1' });
  const run = Date.now().toString(36);
  const tenants = { pseudonymised: `er-p-${run}`, plain: `er-r-${run}` };
  const keys: Record<string, string> = {};
  const USER = `erase-me-${run}`;
  const TESTER = `tester-${run}`;
  const t0 = Date.now() - 3_600_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const auth = (tenant: string) => ({ authorization: `Bearer ${keys[tenant]}` });
  const traces = async (text: string) => (await http<{ hits: Hit[] }>('GET', `${p.url}/debug/stores?text=${encodeURIComponent(text)}`)).body.hits;

  const history = (userId: string, prefix: string, offset = 0) => {
    const base = { source: 'generic', userId, streamerId: `st-${run}`, liveSessionId: `ls-${run}`, courseId: `c-${run}` };
    return [
      { ...base, eventId: `${prefix}-1`, type: 'course.viewed', occurredAt: at(offset + 1), payload: { category: 'programming' } },
      { ...base, eventId: `${prefix}-2`, type: 'live.room.entered', occurredAt: at(offset + 2), payload: {} },
      { ...base, eventId: `${prefix}-3`, type: 'live.comment.posted', occurredAt: at(offset + 3), payload: { text: '多少钱' } },
      { ...base, eventId: `${prefix}-4`, type: 'order.paid', occurredAt: at(offset + 4), payload: { orderId: `${prefix}-o`, amount: { amountMinor: 9900, currency: 'CNY' }, category: 'programming' } },
    ];
  };

  beforeAll(async () => {
    p.start();
    await p.ready(300_000);
    for (const [kind, tenant] of Object.entries(tenants)) {
      const created = await http<{ apiKey: { key: string } }>('POST', `${p.url}/v1/admin/tenants`, { tenantId: tenant, name: kind, pseudonymiseUserIds: kind === 'pseudonymised' }, { 'x-operator-token': OPERATOR });
      expect(created.status).toBe(201);
      keys[tenant] = created.body.apiKey.key;
      await waitFor(`${tenant}'s key known everywhere`, async () => (await http('GET', `${p.url}/v1/test-accounts`, undefined, auth(tenant))).status === 200, 30_000);
    }
  }, 400_000);

  afterAll(async () => {
    await p.kill('SIGTERM');
  });

  for (const kind of ['pseudonymised', 'plain'] as const) {
    it(`${kind} user ids: the raw id finds the profile, test accounts given by raw id are filtered, erasure leaves no trace and a late event does not bring the user back`, async () => {
      const tenant = tenants[kind];
      // test accounts by raw id
      expect((await http('PUT', `${p.url}/v1/test-accounts`, { userIds: [TESTER] }, auth(tenant))).status).toBe(200);
      const sent = await http<{ accepted: number }>('POST', `${p.url}/v1/events/batch`, [...history(USER, `${tenant}-h`), ...history(TESTER, `${tenant}-t`)], auth(tenant));
      expect(sent.status).toBe(202);
      expect(sent.body.accepted).toBe(8);
      const profile = await waitFor(
        `the profile of ${USER} by its raw id`,
        async () => {
          const r = await http<{ userId: string }>('GET', `${p.url}/v1/profiles/${USER}`, undefined, auth(tenant));
          return r.status === 200 ? r.body : null;
        },
        60_000,
        500,
      );
      const stored = profile.userId;
      if (kind === 'pseudonymised') expect(stored).toMatch(/^p_/);
      else expect(stored).toBe(USER);
      // the test account's events were filtered: no profile
      expect((await http('GET', `${p.url}/v1/profiles/${TESTER}`, undefined, auth(tenant))).status).toBe(404);
      // the raw id never reached a store of the pseudonymising tenant
      if (kind === 'pseudonymised') expect(await traces(USER)).toEqual([]);
      expect((await traces(stored)).length).toBeGreaterThan(0);

      const erased = await http<{ userId: string; profileRowsDeleted: number }>('DELETE', `${p.url}/v1/profiles/${USER}`, undefined, auth(tenant));
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ userId: stored, profileRowsDeleted: 1 });
      const left = await waitFor(
        `no trace of ${stored} in any store or cache`,
        async () => {
          const hits = await traces(stored);
          return hits.length === 0 ? hits : null;
        },
        60_000,
        1000,
      ).catch(async () => traces(stored));
      expect(left).toEqual([]);
      expect((await http('GET', `${p.url}/v1/profiles/${USER}`, undefined, auth(tenant))).status).toBe(404);

      // a late event (it happened before the erasure) does not bring the user back
      const late = await http('POST', `${p.url}/v1/events/batch`, history(USER, `${tenant}-late`, 10), auth(tenant));
      expect(late.status).toBe(202);
      // a marker behind it: once the marker's profile exists, the late events were consumed
      const marker = `marker-${kind}-${run}`;
      await http('POST', `${p.url}/v1/events/batch`, [{ ...history(marker, `${tenant}-m`)[0] }], auth(tenant));
      await waitFor('the marker consumed', async () => (await http('GET', `${p.url}/v1/profiles/${marker}`, undefined, auth(tenant))).status === 200, 60_000, 500);
      expect((await http('GET', `${p.url}/v1/profiles/${USER}`, undefined, auth(tenant))).status).toBe(404);
      // cleaning keeps an erasure tombstone: the late events (occurredAt ≤ erasedAt) are discarded as erased_user
      // before any service sees them, so no service's store or cache holds the user again (raw id or pseudonym)
      const afterLate = await traces(stored);
      expect(afterLate).toEqual([]);
      if (kind === 'pseudonymised') expect(await traces(USER)).toEqual([]);
    }, 300_000);
  }
});
