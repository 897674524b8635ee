import { Module } from '@nestjs/common';
import { ClassifyCommentsUseCase } from './application/classify-comments.usecase';
import { ModelRegistryService } from './application/model-registry.service';
import { ModelServing } from './application/model-serving.service';
import { PredictUseCase } from './application/predict.usecase';
import { PropensityUseCase } from './application/propensity.usecase';
import { ModelsController } from './http/models.controller';
import { PredictController } from './http/predict.controller';
import { PropensityController } from './http/propensity.controller';
import { ModelRegistryRepository } from './infrastructure/model-registry.repository';
import { LiveCommentConsumer } from './messaging/live-comment.consumer';

/** Model registry, serving (ONNX + micro-batching), REST predict/propensity/models, and the live-comment classifier. */
@Module({
  controllers: [PredictController, PropensityController, ModelsController],
  providers: [ModelRegistryRepository, ModelServing, ModelRegistryService, PredictUseCase, PropensityUseCase, ClassifyCommentsUseCase, LiveCommentConsumer],
  exports: [ModelRegistryService, ModelServing, ClassifyCommentsUseCase],
})
export class ModelsModule {}
