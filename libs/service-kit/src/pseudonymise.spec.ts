import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { EventOf } from '@livepromo/contracts';
import type { MessageBus } from '@livepromo/messaging';
import type { JsonLogger } from '@livepromo/observability';
import { isPseudonym, pseudonymiseUserId } from './pseudonymise';
import { pseudonymiseRequest, TenantKeyDirectory } from './tenant-auth';

const keyEvent = (tenantId: string, keyId: string, status: 'active' | 'revoked', pseudonymKey?: string): EventOf<'tenant.key.changed'> => ({
  eventId: `e-${keyId}-${status}`,
  tenantId,
  type: 'tenant.key.changed',
  source: 'livepromo',
  occurredAt: '2026-12-01T00:00:00.000Z',
  receivedAt: '2026-12-01T00:00:00.000Z',
  schemaVersion: 1,
  payload: { keyId, keyHash: createHash('sha256').update(`key-${keyId}`).digest('hex'), status, ...(pseudonymKey ? { pseudonymKey } : {}) },
});

describe('pseudonymisation of raw user ids given to routes', () => {
  const directory = new TenantKeyDirectory({} as MessageBus, 'user-profile', {} as JsonLogger);
  const KEY = 'k'.repeat(43);
  directory.apply(keyEvent('pseudo', 'kp', 'active', KEY));
  directory.apply(keyEvent('plain', 'kr', 'active'));

  it('rewrites the userId parameter and a userIds body for a pseudonymising tenant, and nothing else', () => {
    const req = { params: { userId: 'alice', sessionId: 'ls-1' }, body: { userIds: ['alice', 'bob'], userId: 'x' } } as unknown as Request;
    pseudonymiseRequest(req, 'pseudo', directory);
    expect(req.params.userId).toBe(pseudonymiseUserId(KEY, 'alice'));
    expect(req.params.sessionId).toBe('ls-1');
    expect((req.body as { userIds: string[] }).userIds).toEqual([pseudonymiseUserId(KEY, 'alice'), pseudonymiseUserId(KEY, 'bob')]);
    expect((req.body as { userId: string }).userId).toBe('x');
  });

  it('leaves ids alone for a tenant without pseudonymisation, and a pseudonym stays itself (idempotent)', () => {
    const req = { params: { userId: 'alice' }, body: {} } as unknown as Request;
    pseudonymiseRequest(req, 'plain', directory);
    expect(req.params.userId).toBe('alice');
    const p = pseudonymiseUserId(KEY, 'alice');
    expect(isPseudonym(p)).toBe(true);
    expect(directory.userIdFor('pseudo', p)).toBe(p);
  });

  it('knows when a key is revoked (streams re-check it)', () => {
    expect(directory.isActive('kr')).toBe(true);
    directory.apply(keyEvent('plain', 'kr', 'revoked'));
    expect(directory.isActive('kr')).toBe(false);
    expect(directory.isActive('unknown')).toBe(false);
  });
});
