import { Module } from '@nestjs/common';
import { StreamerScoreUseCase } from './application/streamer-score.usecase';
import { StreamerScoreController } from './http/streamer-score.controller';
import { StreamerScoreRepository } from './infrastructure/streamer-score.repository';

/** The seed's streamer score M (GET /v1/streamer-scores, GET|PUT /v1/streamer-score-weights). */
@Module({
  controllers: [StreamerScoreController],
  providers: [StreamerScoreRepository, StreamerScoreUseCase],
})
export class StreamerScoreModule {}
