import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { DownstreamOutcome, ImportJobEntity } from './import-job.entity';

@Injectable()
export class ImportJobRepository {
  private readonly jobs: Repository<ImportJobEntity>;

  constructor(@Inject(DataSource) ds: DataSource) {
    this.jobs = ds.getRepository(ImportJobEntity);
  }

  async insert(job: ImportJobEntity): Promise<void> {
    await this.jobs.insert(job);
  }

  async update(tenantId: string, jobId: string, patch: Partial<ImportJobEntity>): Promise<void> {
    await this.jobs.update({ tenantId, jobId }, { ...patch, updatedAt: new Date() });
  }

  /** Keeps cleaning's cumulative outcome when it is larger than the one stored (order and redelivery do not matter). */
  async recordDownstream(tenantId: string, jobId: string, d: DownstreamOutcome): Promise<void> {
    await this.jobs.query(
      `UPDATE import_job SET downstream = $3::jsonb
       WHERE tenant_id = $1 AND job_id = $2 AND (downstream IS NULL OR (downstream->>'total')::int < $4)`,
      [tenantId, jobId, JSON.stringify(d), d.total],
    );
  }

  find(tenantId: string, jobId: string): Promise<ImportJobEntity | null> {
    return this.jobs.findOneBy({ tenantId, jobId });
  }
}
