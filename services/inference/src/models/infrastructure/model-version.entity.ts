import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of one model. Models are platform-wide (not per tenant): they hold no tenant
 * data, only weights learnt from the shipped synthetic corpus or from a file an operator trained on.
 * The ONNX bytes live in the row so that every replica serves the same version.
 */
@Entity({ name: 'model_versions' })
export class ModelVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 32 })
  task!: string;

  /** model.json (featurizer, labels, signature, metrics, training, provenance) */
  @Column({ type: 'jsonb' })
  manifest!: Record<string, unknown>;

  @Column({ type: 'bytea' })
  onnx!: Buffer;

  @Column({ type: 'int' })
  bytes!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** Folder it was imported from (MODEL_DIR), or null when trained at boot. */
  @Column({ name: 'source_path', type: 'text', nullable: true })
  sourcePath!: string | null;

  @Column({ type: 'boolean', default: false })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;
}
