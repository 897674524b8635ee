import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ImportJobEntity } from './import-job.entity';

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

  find(tenantId: string, jobId: string): Promise<ImportJobEntity | null> {
    return this.jobs.findOneBy({ tenantId, jobId });
  }
}
