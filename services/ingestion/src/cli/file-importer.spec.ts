import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importMappingSchema } from '../imports/domain/import-mapping';
import { BatchSender, importFile } from './file-importer';

const mapping = importMappingSchema.parse({
  fields: { occurredAt: { column: 'at', convert: 'timestamp' }, type: { column: 'kind', values: { like: 'live.like' } }, userId: 'user' },
  payload: { 'live.like': { count: { column: 'n', convert: 'int' } } },
});

function csv(rows: number): string {
  const lines = ['at,kind,user,n'];
  for (let i = 0; i < rows; i++) lines.push(`2026-11-28 10:00:${String(i % 60).padStart(2, '0')},${i === 4 ? 'dance' : 'like'},u${i},${i + 1}`);
  return `${lines.join('\n')}\n`;
}

describe('importFile (CLI importer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-importer-'));

  it('accounts for every row, writes rejects, and resumes after an interruption resending only unacknowledged batches', async () => {
    const file = join(dir, 'a.csv');
    writeFileSync(file, csv(10));
    const server = new Map<string, number>(); // eventId → times received
    let failOn = 2;
    let calls = 0;
    const send: BatchSender = async (events) => {
      calls++;
      if (calls === failOn) {
        // the batch reached the server but the answer was lost: it will be resent with the same ids
        for (const e of events) server.set(String(e.eventId), (server.get(String(e.eventId)) ?? 0) + 1);
        throw new Error('connection reset');
      }
      for (const e of events) server.set(String(e.eventId), (server.get(String(e.eventId)) ?? 0) + 1);
      return events.map((e) => (e.userId === 'u7' ? { status: 'rejected' as const, code: 'schema_violation', message: 'bad' } : { status: 'accepted' as const }));
    };
    const o = { file, tenantId: 't', format: 'csv' as const, mapping, batchSize: 3, checkpointPath: join(dir, 'a.cp'), rejectsPath: join(dir, 'a.rejects'), send };
    await expect(importFile(o)).rejects.toThrow('connection reset');
    failOn = -1;
    const summary = await importFile(o);
    expect(summary).toMatchObject({ read: 10, accepted: 8, rejected: 2, rejectedByReason: { unmapped_value: 1, schema_violation: 1 }, resumedFromLine: 4 });
    // 9 mappable rows; the batch in flight at the interruption was received twice, with identical ids (deduplicated downstream)
    expect(server.size).toBe(9);
    expect([...server.values()].filter((n) => n === 2)).toHaveLength(3);
    const rejects = readFileSync(o.rejectsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r: { line: number; code: string }) => [r.line, r.code])).toEqual([
      [6, 'unmapped_value'],
      [9, 'schema_violation'],
    ]);
  });

  it('refuses a checkpoint written for another version of the file', async () => {
    const file = join(dir, 'b.csv');
    writeFileSync(file, csv(6));
    const o = { file, tenantId: 't', format: 'csv' as const, mapping, batchSize: 2, checkpointPath: join(dir, 'b.cp'), rejectsPath: join(dir, 'b.rejects') };
    let calls = 0;
    await expect(
      importFile({
        ...o,
        send: async (events) => {
          if (++calls === 2) throw new Error('stop');
          return events.map(() => ({ status: 'accepted' as const }));
        },
      }),
    ).rejects.toThrow('stop');
    writeFileSync(file, csv(7));
    await expect(importFile({ ...o, send: async (e) => e.map(() => ({ status: 'accepted' as const })) })).rejects.toThrow('--restart');
    const fresh = await importFile({ ...o, restart: true, send: async (e) => e.map(() => ({ status: 'accepted' as const })) });
    expect(fresh).toMatchObject({ read: 7, accepted: 6, rejected: 1, resumedFromLine: 0 });
  });
});
