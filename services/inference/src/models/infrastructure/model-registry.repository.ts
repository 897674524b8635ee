import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ModelManifest, modelManifestSchema } from '../domain/model-manifest';

export interface ModelVersionSummary {
  name: string;
  version: number;
  task: string;
  active: boolean;
  bytes: number;
  sha256: string;
  sourcePath: string | null;
  createdAt: string;
  activatedAt: string | null;
  manifest: ModelManifest;
}

export interface ModelVersionWithBytes extends ModelVersionSummary {
  onnx: Uint8Array;
}

interface Row {
  name: string;
  version: number;
  task: string;
  active: boolean;
  bytes: number;
  sha256: string;
  source_path: string | null;
  created_at: Date;
  activated_at: Date | null;
  manifest: unknown;
  onnx?: Buffer;
}

const SUMMARY_COLS = 'name, version, task, active, bytes, sha256, source_path, created_at, activated_at, manifest';

function toSummary(r: Row): ModelVersionSummary {
  return {
    name: r.name,
    version: Number(r.version),
    task: r.task,
    active: r.active,
    bytes: Number(r.bytes),
    sha256: r.sha256,
    sourcePath: r.source_path,
    createdAt: new Date(r.created_at).toISOString(),
    activatedAt: r.activated_at ? new Date(r.activated_at).toISOString() : null,
    manifest: modelManifestSchema.parse(r.manifest),
  };
}

/** Postgres-backed model registry (plain SQL, runs on PGlite too). */
@Injectable()
export class ModelRegistryRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async listVersions(name?: string): Promise<ModelVersionSummary[]> {
    const rows = await this.ds.query<Row[]>(
      `SELECT ${SUMMARY_COLS} FROM model_versions ${name ? 'WHERE name = $1' : ''} ORDER BY name, version`,
      name ? [name] : [],
    );
    return rows.map(toSummary);
  }

  async get(name: string, version: number): Promise<ModelVersionWithBytes | null> {
    const rows = await this.ds.query<Row[]>(`SELECT ${SUMMARY_COLS}, onnx FROM model_versions WHERE name = $1 AND version = $2`, [name, version]);
    if (!rows[0]) return null;
    return { ...toSummary(rows[0]), onnx: new Uint8Array(rows[0].onnx!) };
  }

  async active(name: string): Promise<ModelVersionWithBytes | null> {
    const rows = await this.ds.query<{ version: number }[]>(`SELECT version FROM model_versions WHERE name = $1 AND active`, [name]);
    return rows[0] ? this.get(name, Number(rows[0].version)) : null;
  }

  async activeVersions(): Promise<{ name: string; version: number }[]> {
    const rows = await this.ds.query<{ name: string; version: number }[]>(`SELECT name, version FROM model_versions WHERE active`);
    return rows.map((r) => ({ name: r.name, version: Number(r.version) }));
  }

  /**
   * Adds a version numbered max+1 (the same bytes under the same name are stored once and the
   * existing version returned). Becomes active when the model has no active version yet.
   */
  async add(v: { name: string; task: string; manifest: ModelManifest; onnx: Uint8Array; sha256: string; sourcePath: string | null }): Promise<{ version: number; created: boolean; active: boolean }> {
    return this.ds.transaction(async (m) => {
      // Serialise writers of the same model name (two replicas training at boot).
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`inference.model:${v.name}`]);
      const existing = await m.query<{ version: number; active: boolean }[]>(`SELECT version, active FROM model_versions WHERE name = $1 AND sha256 = $2`, [v.name, v.sha256]);
      if (existing[0]) return { version: Number(existing[0].version), created: false, active: existing[0].active };
      const next = await m.query<{ v: number; has_active: boolean | null }[]>(`SELECT COALESCE(MAX(version), 0) + 1 AS v, BOOL_OR(active) AS has_active FROM model_versions WHERE name = $1`, [v.name]);
      const version = Number(next[0].v);
      const active = !next[0].has_active;
      await m.query(
        `INSERT INTO model_versions (name, version, task, manifest, onnx, bytes, sha256, source_path, active, activated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 THEN now() ELSE NULL END)`,
        [v.name, version, v.task, JSON.stringify({ ...v.manifest }), Buffer.from(v.onnx), v.onnx.length, v.sha256, v.sourcePath, active],
      );
      return { version, created: true, active };
    });
  }

  /** Makes `version` the only active version of `name`; false when it does not exist. */
  async activate(name: string, version: number): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const found = await m.query<unknown[]>(`SELECT 1 FROM model_versions WHERE name = $1 AND version = $2`, [name, version]);
      if (found.length === 0) return false;
      await m.query(`UPDATE model_versions SET active = false WHERE name = $1 AND active AND version <> $2`, [name, version]);
      await m.query(`UPDATE model_versions SET active = true, activated_at = now() WHERE name = $1 AND version = $2 AND NOT active`, [name, version]);
      return true;
    });
  }
}
