import { Inject, Injectable } from '@nestjs/common';
import { JsonLogger } from '@livepromo/observability';
import { LedgerRepository } from '../infrastructure/ledger.repository';

/** Honours `user.erased`: pseudonymises the user's ledger rows and funnel facts (money totals unchanged). */
@Injectable()
export class EraseUserUseCase {
  constructor(
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  async execute(tenantId: string, userId: string): Promise<{ ledgerRows: number; funnelRows: number }> {
    const r = await this.ledger.eraseUser(tenantId, userId);
    this.log.info('user pseudonymised in the roi ledger', { tenantId, ledgerRows: r.ledgerRows, funnelRows: r.funnelRows });
    return r;
  }
}
