import { Inject, Injectable } from '@nestjs/common';
import { LiveStateRepository } from '../infrastructure/live-state.repository';

/** Erasure in the live context: the user's viewer rows leave every session (windows keep their counts, which name no one). */
@Injectable()
export class EraseLiveUserUseCase {
  constructor(@Inject(LiveStateRepository) private readonly repo: LiveStateRepository) {}

  async execute(tenantId: string, userId: string): Promise<void> {
    await this.repo.eraseUser(tenantId, userId);
  }
}
