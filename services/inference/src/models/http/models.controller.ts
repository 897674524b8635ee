import { Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { OperatorGuard, TenantAuthGuard, ZodValidationPipe } from '@livepromo/service-kit';
import { ModelRegistryService } from '../application/model-registry.service';
import { ModelVersionSummary } from '../infrastructure/model-registry.repository';
import { modelNameParamSchema, versionParamSchema } from './predict.dto';

const METRICS_NOTE =
  'metrics: accuracy = correct / n and macroF1 = unweighted mean over classes of 2·P·R/(P+R), on held-out rows ' +
  '(heldOutRows = n) never used in training; majorityBaseline = share of the most frequent class; confusion[true][predicted].';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}

  @Get()
  @ApiBearerAuth('tenant-key')
  @UseGuards(TenantAuthGuard)
  @ApiOperation({ summary: 'Models in the registry', description: 'Per model: task, the active version (Postgres), the version this replica serves, and the number of versions.' })
  @ApiOkResponse({ description: '{ models: [{ name, task, activeVersion, servingVersion, versions }] }' })
  async list(): Promise<{ models: Awaited<ReturnType<ModelRegistryService['listModels']>> }> {
    return { models: await this.registry.listModels() };
  }

  @Get(':name/versions')
  @ApiBearerAuth('tenant-key')
  @UseGuards(TenantAuthGuard)
  @ApiOperation({ summary: 'Versions of one model', description: `Each version with its manifest (labels, featurizer, input/output signature, training, provenance) and metrics. ${METRICS_NOTE}` })
  @ApiOkResponse({ description: '{ name, versions: [...] }' })
  async versions(@Param('name', new ZodValidationPipe(modelNameParamSchema, 'model name')) name: string): Promise<{ name: string; versions: ModelVersionSummary[] }> {
    return { name, versions: await this.registry.listVersions(name) };
  }

  @Post(':name/versions/:version/activate')
  @HttpCode(200)
  @ApiSecurity('operator-token')
  @UseGuards(OperatorGuard)
  @ApiOperation({
    summary: 'Activate a version (hot swap; also rollback)',
    description: 'Loads and warms the version, records it as active, then swaps: requests already running finish on the old version, new ones use the new one; no request fails. 404 for an unknown version, 422 when it cannot be loaded (the old version keeps serving).',
  })
  @ApiOkResponse({ description: 'the activated version' })
  async activate(
    @Param('name', new ZodValidationPipe(modelNameParamSchema, 'model name')) name: string,
    @Param('version', new ZodValidationPipe(versionParamSchema, 'version')) version: number,
  ): Promise<ModelVersionSummary> {
    return this.registry.activate(name, version);
  }
}
