import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An HTTP import job and its counts. */
@Entity({ name: 'import_job' })
@Index('import_job_tenant', ['tenantId', 'createdAt'])
export class ImportJobEntity {
  @PrimaryColumn({ name: 'job_id', type: 'varchar', length: 64 })
  jobId: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  status: 'running' | 'succeeded' | 'failed';

  @Column({ type: 'varchar', length: 8 })
  format: 'csv' | 'jsonl';

  @Column({ name: 'bytes', type: 'integer' })
  bytes: number;

  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead: number;

  @Column({ type: 'integer', default: 0 })
  accepted: number;

  @Column({ type: 'integer', default: 0 })
  rejected: number;

  @Column({ name: 'rejected_by_reason', type: 'jsonb', default: () => "'{}'" })
  rejectedByReason: Record<string, number>;

  /** The first rejects (line, code, message), for the status answer. */
  @Column({ name: 'sample_rejects', type: 'jsonb', default: () => "'[]'" })
  sampleRejects: { line: number; code: string; message: string }[];

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Data records in the upload (header and blank lines excluded), known once the upload is split. */
  @Column({ name: 'total_rows', type: 'integer', nullable: true })
  totalRows: number | null;

  /** When sending began (after splitting), for rows/s and ETA. */
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  /** Cleaning's latest cumulative outcome of the job's events (`import.outcome.counted`), largest total kept. */
  @Column({ type: 'jsonb', nullable: true })
  downstream: DownstreamOutcome | null;
}

export interface DownstreamOutcome {
  total: number;
  clean: number;
  duplicate: number;
  deadLettered: Record<string, number>;
  discarded: Record<string, number>;
  at: string;
}
