import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { LiveStateRepository } from '../infrastructure/live-state.repository';
import { ProcessLiveEventsUseCase } from './process-live-events.usecase';

export interface FeedbackCommand {
  tenantId: string;
  sessionId: string;
  suggestionId: string;
  decision: 'accepted' | 'ignored';
}

export interface FeedbackResult {
  suggestionId: string;
  strategy: string;
  trigger: string;
  decision: 'accepted' | 'ignored';
  /** True when the outcome was already measurable and the bandit was updated now. */
  outcomeMeasured: boolean;
  howComputed: string;
}

/**
 * Records an operator's decision on a suggestion. Accepted means the strategy was used: its
 * outcome is measured once the two minutes after the triggering window have closed (now, if
 * they already have). Ignored is recorded and teaches the bandit nothing (no strategy was tried).
 * Idempotent: the same decision again is a no-op; a different one is a 409.
 */
@Injectable()
export class RecordFeedbackUseCase {
  constructor(
    @Inject(LiveStateRepository) private readonly repo: LiveStateRepository,
    @Inject(ProcessLiveEventsUseCase) private readonly live: ProcessLiveEventsUseCase,
  ) {}

  async execute(cmd: FeedbackCommand): Promise<FeedbackResult> {
    return this.live.runExclusive(() =>
      this.repo.transaction(async (m) => {
        const sessions = await this.repo.lockSessions(m, cmd.tenantId, [cmd.sessionId]);
        const s = await this.repo.getSuggestion(m, cmd.tenantId, cmd.suggestionId);
        if (!s || s.sessionId !== cmd.sessionId) {
          throw new DomainError(ErrorCode.NotFound, `no suggestion ${cmd.suggestionId} in live session ${cmd.sessionId}`);
        }
        if (s.feedback && s.feedback !== cmd.decision) {
          throw new DomainError(ErrorCode.Conflict, `suggestion ${cmd.suggestionId} was already marked ${s.feedback}`, { details: { feedback: s.feedback } });
        }
        let outcomeMeasured = false;
        if (!s.feedback) {
          await this.repo.setFeedback(m, cmd.tenantId, cmd.suggestionId, cmd.decision);
          if (cmd.decision === 'accepted') outcomeMeasured = (await this.live.measureOutcomes(m, sessions.get(cmd.sessionId)!)) > 0;
        }
        return {
          suggestionId: s.suggestionId,
          strategy: s.strategy,
          trigger: s.trigger,
          decision: cmd.decision,
          outcomeMeasured,
          howComputed:
            'accepted: outcome score = mean of the relative changes (clipped to ±1) of engagementPerViewer and, when both sides had clicks, clickToOrderConversion, ' +
            'from the triggering 1-minute window to the 2 minutes after it; reward = (1 + score) / 2 is added to the Beta posterior (α += reward, β += 1 − reward). ignored: recorded only.',
        };
      }),
    );
  }
}
