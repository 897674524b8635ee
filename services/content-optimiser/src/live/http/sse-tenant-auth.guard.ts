import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { bearerKey, DomainError, ErrorCode, TenantKeyDirectory, TenantRequest } from '@livepromo/service-kit';

/**
 * TenantAuthGuard for the server-sent-events route: browsers' EventSource cannot set headers,
 * so besides `Authorization: Bearer <key>` / `X-Api-Key` the key is also accepted as `?key=`.
 * (Query strings may end up in access logs: prefer the header where the client can set it.)
 */
@Injectable()
export class SseTenantAuthGuard implements CanActivate {
  constructor(@Inject(TenantKeyDirectory) private readonly keys: TenantKeyDirectory) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<TenantRequest>();
    const q = req.query?.key;
    const key = bearerKey(req) ?? (typeof q === 'string' && q ? q : null);
    if (!key) throw new DomainError(ErrorCode.Unauthorized, 'missing API key: send Authorization: Bearer <key> or ?key=<key>');
    const hit = this.keys.resolve(key);
    if (!hit) throw new DomainError(ErrorCode.Unauthorized, 'unknown or revoked API key');
    req.tenantId = hit.tenantId;
    req.apiKeyId = hit.keyId;
    return true;
  }
}
