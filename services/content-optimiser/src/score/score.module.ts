import { Module } from '@nestjs/common';
import { ContentScoreUseCase } from './application/content-score.usecase';
import { ContentScoreController } from './http/content-score.controller';
import { ContentScoreRepository } from './infrastructure/content-score.repository';

/** The seed's live-content score L (GET /v1/live-sessions/{id}/content-score, GET|PUT /v1/content-score-weights). */
@Module({
  controllers: [ContentScoreController],
  providers: [ContentScoreRepository, ContentScoreUseCase],
})
export class ContentScoreModule {}
