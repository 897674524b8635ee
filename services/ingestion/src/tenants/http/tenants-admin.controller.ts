import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { OperatorGuard, openApiSchema, ZodValidationPipe } from '@livepromo/service-kit';
import { IssuedKey, KeyView, TenantAdminUseCase, TenantView } from '../application/tenant-admin.usecase';
import { CreateKeyBody, createKeySchema, CreateTenantBody, createTenantSchema, keyIdParamSchema, tenantParamSchema } from './tenants.dto';

@ApiTags('admin: tenants and keys')
@ApiSecurity('operator-token')
@UseGuards(OperatorGuard)
@Controller('admin')
export class TenantsAdminController {
  constructor(@Inject(TenantAdminUseCase) private readonly admin: TenantAdminUseCase) {}

  @Post('tenants')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a tenant and its first API key',
    description:
      'Creates the tenant and an active API key. The key is in the answer once (only its sha256 is stored) and is announced as `tenant.key.changed` on `tenants.keys.v1`, which every service reads to authenticate tenants. 409 if the tenant exists.',
  })
  @ApiBody({ schema: openApiSchema(createTenantSchema), examples: { seller: { value: { tenantId: 'acme-courses', name: 'Acme Courses', pseudonymiseUserIds: true } } } })
  createTenant(@Body(new ZodValidationPipe(createTenantSchema, 'tenant')) body: CreateTenantBody): Promise<{ tenant: TenantView; apiKey: IssuedKey }> {
    return this.admin.createTenant(body);
  }

  @Get('tenants/:tenantId')
  @ApiOperation({ summary: 'A tenant (no secrets)' })
  getTenant(@Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string): Promise<TenantView> {
    return this.admin.getTenant(tenantId);
  }

  @Get('tenants/:tenantId/keys')
  @ApiOperation({ summary: "A tenant's API keys (ids, labels, status; never the keys)" })
  listKeys(@Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string): Promise<KeyView[]> {
    return this.admin.listKeys(tenantId);
  }

  @Post('tenants/:tenantId/keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create another API key', description: 'The key is shown once; it is usable as soon as this answer arrives (other services: as soon as they read tenants.keys.v1).' })
  @ApiBody({ schema: openApiSchema(createKeySchema) })
  createKey(
    @Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string,
    @Body(new ZodValidationPipe(createKeySchema, 'key')) body: CreateKeyBody,
  ): Promise<IssuedKey> {
    return this.admin.createKey(tenantId, body?.label ?? null);
  }

  @Post('tenants/:tenantId/keys/:keyId/rotate')
  @HttpCode(201)
  @ApiOperation({ summary: 'Rotate a key', description: 'Issues a new key (same label) and revokes the old one immediately; the old key answers 401 from then on.' })
  rotateKey(
    @Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string,
    @Param('keyId', new ZodValidationPipe(keyIdParamSchema, 'key id')) keyId: string,
  ): Promise<{ revoked: KeyView; issued: IssuedKey }> {
    return this.admin.rotateKey(tenantId, keyId);
  }

  @Post('tenants/:tenantId/keys/:keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key', description: 'Idempotent; answers 503 if the revocation could not be announced on Kafka (retry it).' })
  revokeKey(
    @Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string,
    @Param('keyId', new ZodValidationPipe(keyIdParamSchema, 'key id')) keyId: string,
  ): Promise<KeyView> {
    return this.admin.revokeKey(tenantId, keyId);
  }

  @Post('tenants/:tenantId/webhook-secret')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create or replace the webhook signing secret',
    description:
      'The secret is shown once. It must stay usable to verify HMAC-SHA256 signatures, so it cannot be hashed: it is stored sealed with AES-256-GCM under SECRET_ENCRYPTION_KEY (in clear when that variable is unset; `encryptedAtRest` says which).',
  })
  rotateWebhookSecret(
    @Param('tenantId', new ZodValidationPipe(tenantParamSchema, 'tenant id')) tenantId: string,
  ): Promise<{ tenantId: string; webhookSecret: string; encryptedAtRest: boolean }> {
    return this.admin.rotateWebhookSecret(tenantId);
  }

  @Post('keys/republish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-announce every key on tenants.keys.v1', description: 'Rebuilds the key directory topic from Postgres (disaster recovery).' })
  republish(): Promise<{ published: number }> {
    return this.admin.republishAll();
  }
}
