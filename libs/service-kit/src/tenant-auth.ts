import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { EventOf, ServiceName } from '@livepromo/contracts';
import { MessageBus, Subscription } from '@livepromo/messaging';
import { JsonLogger } from '@livepromo/observability';
import { BaseConfig } from './config';
import { DomainError, ErrorCode } from './errors';
import { isPseudonym, pseudonymiseUserId } from './pseudonymise';
import { CONFIG, SERVICE_NAME } from './tokens';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Every service's view of tenant API keys, built from the compacted `tenants.keys.v1` topic
 * (ingestion owns tenants and publishes key hashes there). Services never read ingestion's tables.
 */
@Injectable()
export class TenantKeyDirectory implements OnApplicationBootstrap {
  private readonly byHash = new Map<string, { tenantId: string; keyId: string; status: 'active' | 'revoked' }>();
  private readonly hashByKeyId = new Map<string, string>();
  /** Pseudonymisation keys of the tenants that pseudonymise user ids (carried by their key events). */
  private readonly pseudonymKeys = new Map<string, string>();
  private sub?: Subscription;

  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.sub = await this.bus.subscribe({
      topic: 'tenants.keys.v1',
      // each instance reads the whole directory: a unique group per process
      groupId: `${this.service}.tenant-keys.${process.pid}.${Date.now()}`,
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch) this.apply(m.value);
      },
    });
  }

  apply(e: EventOf<'tenant.key.changed'>): void {
    // a key id maps to one hash: a changed hash for the same id retires the previous one
    const previous = this.hashByKeyId.get(e.payload.keyId);
    if (previous && previous !== e.payload.keyHash) this.byHash.delete(previous);
    this.hashByKeyId.set(e.payload.keyId, e.payload.keyHash);
    this.byHash.set(e.payload.keyHash, { tenantId: e.tenantId, keyId: e.payload.keyId, status: e.payload.status });
    if (e.payload.pseudonymKey) this.pseudonymKeys.set(e.tenantId, e.payload.pseudonymKey);
  }

  /** Whether the key with this id is (still) active: long-lived streams re-check it and close once it is revoked. */
  isActive(keyId: string): boolean {
    const hash = this.hashByKeyId.get(keyId);
    return !!hash && this.byHash.get(hash)?.status === 'active';
  }

  /** Whether the tenant pseudonymises user ids. */
  pseudonymises(tenantId: string): boolean {
    return this.pseudonymKeys.has(tenantId);
  }

  /**
   * The user id this service stores for a raw id given by a client: the tenant's pseudonym when it
   * pseudonymises (an id already shaped like a pseudonym is kept), else the id itself.
   */
  userIdFor(tenantId: string, userId: string): string {
    const key = this.pseudonymKeys.get(tenantId);
    return key && !isPseudonym(userId) ? pseudonymiseUserId(key, userId) : userId;
  }

  /** Tenant of an active key, or null. */
  resolve(apiKey: string): { tenantId: string; keyId: string } | null {
    const hit = this.byHash.get(hashApiKey(apiKey));
    return hit && hit.status === 'active' ? { tenantId: hit.tenantId, keyId: hit.keyId } : null;
  }

  get size(): number {
    return this.byHash.size;
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
  }
}

export interface TenantRequest extends Request {
  tenantId?: string;
  apiKeyId?: string;
}

export function bearerKey(req: Request): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim() || null;
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x ? x : null;
}

/** Authenticates `Authorization: Bearer <key>` (or X-Api-Key); the tenant comes from the key, never the body. */
@Injectable()
export class TenantAuthGuard implements CanActivate {
  constructor(@Inject(TenantKeyDirectory) private readonly keys: TenantKeyDirectory) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<TenantRequest>();
    const key = bearerKey(req);
    if (!key) throw new DomainError(ErrorCode.Unauthorized, 'missing API key: send Authorization: Bearer <key>');
    const hit = this.keys.resolve(key);
    if (!hit) throw new DomainError(ErrorCode.Unauthorized, 'unknown or revoked API key');
    req.tenantId = hit.tenantId;
    req.apiKeyId = hit.keyId;
    pseudonymiseRequest(req, hit.tenantId, this.keys);
    return true;
  }
}

/**
 * The one place where a raw user id given to a route meets the tenant's pseudonymisation: the path
 * parameter `userId` and a body's `userIds` array are replaced by what the services store (guards run
 * before pipes and handlers, so every route taking a user id sees the stored form). Ingestion's event
 * bodies carry `userId` inside events and are pseudonymised by ingestion itself.
 */
export function pseudonymiseRequest(req: Request, tenantId: string, keys: Pick<TenantKeyDirectory, 'pseudonymises' | 'userIdFor'>): void {
  if (!keys.pseudonymises(tenantId)) return;
  const params = req.params as Record<string, string> | undefined;
  if (params && typeof params.userId === 'string') params.userId = keys.userIdFor(tenantId, params.userId);
  const body = req.body as { userIds?: unknown } | undefined;
  if (body && typeof body === 'object' && Array.isArray(body.userIds)) {
    body.userIds = body.userIds.map((u: unknown) => (typeof u === 'string' ? keys.userIdFor(tenantId, u) : u));
  }
}

/** Admin routes: `X-Operator-Token` must equal OPERATOR_TOKEN (constant-time compare). */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const expected = this.config.OPERATOR_TOKEN;
    if (!expected) throw new DomainError(ErrorCode.Unavailable, 'admin API disabled: OPERATOR_TOKEN is not configured');
    const given = req.headers['x-operator-token'];
    if (typeof given !== 'string') throw new DomainError(ErrorCode.Unauthorized, 'missing X-Operator-Token');
    const a = Buffer.from(hashApiKey(given));
    const b = Buffer.from(hashApiKey(expected));
    if (!timingSafeEqual(a, b)) throw new DomainError(ErrorCode.Forbidden, 'invalid operator token');
    return true;
  }
}

/** The authenticated tenant of the request (use with TenantAuthGuard). */
export const TenantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<TenantRequest>();
  if (!req.tenantId) throw new DomainError(ErrorCode.Unauthorized, 'not authenticated');
  return req.tenantId;
});
