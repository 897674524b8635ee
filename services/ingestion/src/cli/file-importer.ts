import { createReadStream, existsSync, readFileSync, renameSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { checkCsvHeader, HeaderProblem } from '../imports/domain/csv-header';
import { ImportMapping, recordToEvent } from '../imports/domain/import-mapping';
import { FileRecord, parseCsvRecord, RecordReader, unbalancedQuoteMessage } from '../imports/domain/record-reader';

/** Per-item answer of the batch endpoint (what the importer needs of it). */
export type SendResult = { status: 'accepted' } | { status: 'rejected'; code: string; message: string };
/** Sends one batch as backfill of `streamId`; resolves with one result per event, in order, once the server acknowledged it. */
export type BatchSender = (events: Record<string, unknown>[], streamId: string) => Promise<SendResult[]>;

/** The file cannot be imported with this mapping (no header row, another delimiter, missing columns): nothing was sent. */
export class HeaderMismatchError extends Error {
  constructor(readonly problem: HeaderProblem) {
    super(`${problem.code}: ${problem.message}`);
  }
}

export interface ImportCounts {
  read: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export interface Checkpoint {
  version: 1;
  file: string;
  fileSize: number;
  fileMtimeMs: number;
  tenantId: string;
  /** Byte offset just after the last record whose batch was acknowledged, and its line number. */
  byte: number;
  line: number;
  header: string[] | null;
  counts: ImportCounts;
  updatedAt: string;
  /** The backfill stream id of this import (kept across resumptions). */
  streamId?: string;
}

export interface ImportOptions {
  file: string;
  tenantId: string;
  format: 'csv' | 'jsonl';
  mapping: ImportMapping | null;
  batchSize: number;
  checkpointPath: string;
  rejectsPath: string;
  /** Ignore an existing checkpoint and start over. */
  restart?: boolean;
  send: BatchSender;
  onProgress?: (p: { bytes: number; totalBytes: number; counts: ImportCounts }) => void;
}

export interface ImportSummary extends ImportCounts {
  file: string;
  /** Backfill stream id the events were sent under (`ingest.streamId`; cleaning counts their outcomes under it). */
  streamId: string;
  resumedFromLine: number;
  batches: number;
  rejectsFile: string;
  seconds: number;
}

function emptyCounts(): ImportCounts {
  return { read: 0, accepted: 0, rejected: 0, rejectedByReason: {} };
}

/** Loads a checkpoint for this file and tenant, or null; refuses one written for a different file version. */
export function loadCheckpoint(path: string, file: string, tenantId: string): Checkpoint | null {
  if (!existsSync(path)) return null;
  const cp = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  const st = statSync(file);
  if (cp.version !== 1 || cp.tenantId !== tenantId || cp.fileSize !== st.size || cp.fileMtimeMs !== Math.floor(st.mtimeMs)) {
    throw new Error(`checkpoint ${path} was written for another tenant or another version of ${file}; pass --restart to import from the beginning`);
  }
  return cp;
}

function saveCheckpoint(path: string, cp: Checkpoint): void {
  // write-then-rename: an interruption never leaves a torn checkpoint
  writeFileSync(`${path}.tmp`, JSON.stringify(cp));
  renameSync(`${path}.tmp`, path);
}

/**
 * Streams a CSV/JSONL file, maps each record to an envelope (eventId = imp-sha256(tenant, line, record)
 * unless mapped), sends batches in order and, after each acknowledged batch, records the byte offset
 * reached in the checkpoint. A rerun resumes after the last acknowledged batch; a batch that was in flight
 * when interrupted is sent again with the same event ids, so it is deduplicated downstream.
 * Every data record is counted once: read = accepted + rejected; rejects (local mapping failures and
 * server rejections) are appended to the rejects file with line, code and message.
 */
export async function importFile(o: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const st = statSync(o.file);
  const cp = o.restart ? null : loadCheckpoint(o.checkpointPath, o.file, o.tenantId);
  const counts = cp ? cp.counts : emptyCounts();
  let header = cp ? cp.header : null;
  let headerChecked = cp !== null;
  const streamId = cp?.streamId ?? `cli_${randomBytes(9).toString('base64url')}`;
  if (!cp) writeFileSync(o.rejectsPath, '');
  const delimiter = o.mapping?.delimiter ?? ',';
  const reader = new RecordReader(o.format === 'csv', cp ? { byte: cp.byte, line: cp.line } : undefined);
  let batch: { rec: FileRecord; event: Record<string, unknown> }[] = [];
  let last: FileRecord | null = null;
  let batches = 0;
  let bytes = cp?.byte ?? 0;

  // rejects reach the file together with the checkpoint that covers them, so a resumed run never repeats one
  let pendingRejects: string[] = [];
  const reject = (rec: FileRecord, code: string, message: string) => {
    counts.rejected++;
    counts.rejectedByReason[code] = (counts.rejectedByReason[code] ?? 0) + 1;
    pendingRejects.push(JSON.stringify({ line: rec.line, code, message, record: rec.text }));
  };
  const checkpoint = () => {
    if (!last) return;
    saveCheckpoint(o.checkpointPath, {
      version: 1,
      file: o.file,
      fileSize: st.size,
      fileMtimeMs: Math.floor(st.mtimeMs),
      tenantId: o.tenantId,
      byte: last.endByte,
      line: last.lastLine,
      header,
      counts,
      updatedAt: new Date().toISOString(),
      streamId,
    });
  };
  const flush = async () => {
    if (batch.length) {
      const results = await o.send(
        batch.map((b) => b.event),
        streamId,
      );
      batches++;
      results.forEach((r, i) => {
        if (r.status === 'accepted') counts.accepted++;
        else reject(batch[i].rec, r.code, r.message);
      });
      batch = [];
    }
    if (pendingRejects.length) {
      pendingRejects.sort((a, b) => (JSON.parse(a) as { line: number }).line - (JSON.parse(b) as { line: number }).line);
      appendFileSync(o.rejectsPath, `${pendingRejects.join('\n')}\n`);
      pendingRejects = [];
    }
    checkpoint();
    o.onProgress?.({ bytes: last ? (last).endByte : bytes, totalBytes: st.size, counts });
  };
  const handle = async (rec: FileRecord) => {
    last = rec;
    if (rec.text.trim() === '') return;
    if (o.format === 'csv' && !headerChecked) {
      // checked before any row is sent: a file without a header row, with another delimiter or lacking columns stops here
      headerChecked = true;
      const problem = o.mapping ? checkCsvHeader(rec.text, o.mapping, delimiter) : null;
      if (problem) throw new HeaderMismatchError(problem);
      if (o.mapping?.columns) header = o.mapping.columns; // headerless format: this line is data
      else {
        header = parseCsvRecord(rec.text, delimiter).map((h) => h.trim());
        return;
      }
    }
    counts.read++;
    if (rec.error) {
      reject(rec, rec.error, unbalancedQuoteMessage(rec.line));
      return;
    }
    const m = recordToEvent(rec, { tenantId: o.tenantId, format: o.format, mapping: o.mapping, header, delimiter });
    if (m.ok) batch.push({ rec, event: m.event });
    else reject(rec, m.code, m.message);
    if (batch.length >= o.batchSize) await flush();
  };

  const stream = createReadStream(o.file, { start: cp?.byte ?? 0, highWaterMark: 256 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (const rec of reader.push(chunk)) await handle(rec);
  }
  for (const rec of reader.end()) await handle(rec);
  await flush();
  return {
    file: o.file,
    streamId,
    ...counts,
    resumedFromLine: cp?.line ?? 0,
    batches,
    rejectsFile: o.rejectsPath,
    seconds: (Date.now() - started) / 1000,
  };
}
