import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCanonicalEvent } from '@livepromo/contracts';
import { applyMapFlags, decimalToMinor, importEventId, importMappingSchema, recordToEvent, toIsoTimestamp } from './import-mapping';
import { parseCsvRecord, RecordReader } from './record-reader';

const rees46 = importMappingSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'mappings', 'rees46.json'), 'utf8')));
const HEADER = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session'.split(',');
const opts = { tenantId: 'shop-a', format: 'csv' as const, mapping: rees46, header: HEADER, delimiter: ',' };

describe('CSV records', () => {
  it('parses quoted fields with delimiters, doubled quotes and empty cells', () => {
    expect(parseCsvRecord('a,"b,c","say ""hi""",,e')).toEqual(['a', 'b,c', 'say "hi"', '', 'e']);
    expect(parseCsvRecord('x;y', ';')).toEqual(['x', 'y']);
  });

  it('splits records across chunk boundaries with exact byte offsets, joining quoted newlines', () => {
    const text = 'h1,h2\r\n"多\nline",2\nlast,3';
    const r = new RecordReader(true);
    const buf = Buffer.from(text);
    const recs = [...r.push(buf.subarray(0, 5)), ...r.push(buf.subarray(5, 12)), ...r.push(buf.subarray(12)), ...r.end()];
    expect(recs.map((x) => [x.line, x.lastLine, x.text])).toEqual([
      [1, 1, 'h1,h2'],
      [2, 3, '"多\nline",2'],
      [4, 4, 'last,3'],
    ]);
    expect(recs.map((x) => x.endByte)).toEqual([7, Buffer.byteLength('h1,h2\r\n"多\nline",2\n'), buf.length]);
    // resuming at a record's end offset continues with the next record and line number
    const resumed = new RecordReader(true, { byte: recs[1].endByte, line: recs[1].lastLine });
    expect([...resumed.push(buf.subarray(recs[1].endByte)), ...resumed.end()]).toEqual([{ line: 4, lastLine: 4, endByte: buf.length, text: 'last,3' }]);
  });
});

describe('import mapping', () => {
  it('converts decimals to minor units exactly and reads store timestamps', () => {
    expect(decimalToMinor('35.79')).toBe(3579);
    expect(decimalToMinor('1081.98')).toBe(108198);
    expect(decimalToMinor('0.105')).toBe(11);
    expect(decimalToMinor('-2.5')).toBe(-250);
    expect(decimalToMinor('1e3')).toBeNull();
    expect(toIsoTimestamp('2019-10-01 00:00:04 UTC')).toBe('2019-10-01T00:00:04Z');
    expect(toIsoTimestamp('2019-10-01T08:00:04+0800')).toBe('2019-10-01T08:00:04+08:00');
    expect(toIsoTimestamp('1764324000')).toBe('2025-11-28T10:00:00.000Z');
    expect(toIsoTimestamp('yesterday')).toBeNull();
  });

  it('maps REES46 rows to valid canonical events of the three types', () => {
    const rows = [
      '2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2',
      '2019-10-01 00:00:02 UTC,cart,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419',
      '2019-10-01 00:00:03 UTC,purchase,1004237,2053013555631882655,,apple,1081.98,535871217,c6bd7419',
    ];
    const events = rows.map((text, i) => recordToEvent({ line: i + 2, text }, opts));
    const canonical = events.map((m) => {
      if (!m.ok) throw new Error(m.message);
      const v = validateCanonicalEvent({ ...m.event, tenantId: 'shop-a', receivedAt: '2026-11-28T00:00:00Z' });
      if (!v.ok) throw new Error(v.message);
      return v.value;
    });
    expect(canonical[0]).toMatchObject({ type: 'course.viewed', userId: '519107250', courseId: '17200506', occurredAt: '2019-10-01T00:00:01Z', payload: { topics: ['furniture', 'living_room', 'sofa'] } });
    expect(canonical[1]).toMatchObject({ type: 'cart.added', payload: { price: { amountMinor: 108198, currency: 'USD' }, quantity: 1 } });
    expect(canonical[2]).toMatchObject({ type: 'order.paid', payload: { orderId: 'c6bd7419:1004237', amount: { amountMinor: 108198, currency: 'USD' } } });
    expect(canonical[2].eventId).toBe(importEventId('shop-a', 4, rows[2]));
  });

  it('rejects a value without mapping and a cell that does not convert, with their codes', () => {
    expect(recordToEvent({ line: 2, text: '2019-10-01 00:00:01 UTC,remove_from_cart,1,2,,b,1.00,9,s' }, opts)).toMatchObject({ ok: false, code: 'unmapped_value' });
    expect(recordToEvent({ line: 3, text: '2019-10-01 00:00:01 UTC,cart,1,2,,b,cheap,9,s' }, opts)).toMatchObject({ ok: false, code: 'format_violation' });
  });

  it('gives identical rows on different lines different ids, and the same row the same id', () => {
    expect(importEventId('t', 2, 'a,b')).toBe(importEventId('t', 2, 'a,b'));
    expect(importEventId('t', 2, 'a,b')).not.toBe(importEventId('t', 3, 'a,b'));
    expect(importEventId('t', 2, 'a,b')).not.toBe(importEventId('u', 2, 'a,b'));
  });

  it('builds a mapping from --map flags and takes JSONL without mapping as envelopes', () => {
    const m = applyMapFlags(importMappingSchema.parse({}), ['when=occurredAt:timestamp', 'kind=type', 'n=payload.count:int']);
    const r = recordToEvent({ line: 1, text: '{"when":"2026-11-28 10:00:00","kind":"live.like","n":"3"}' }, { ...opts, format: 'jsonl', mapping: m, header: null });
    expect(r).toMatchObject({ ok: true, event: { occurredAt: '2026-11-28T10:00:00Z', type: 'live.like', payload: { count: 3 } } });
    const plain = recordToEvent({ line: 7, text: '{"type":"live.like","eventId":"e-1"}' }, { ...opts, format: 'jsonl', mapping: null, header: null });
    expect(plain).toEqual({ ok: true, event: { type: 'live.like', eventId: 'e-1' } });
    expect(recordToEvent({ line: 8, text: '{oops' }, { ...opts, format: 'jsonl', mapping: null, header: null })).toMatchObject({ ok: false, code: 'malformed_json' });
    expect(() => applyMapFlags(importMappingSchema.parse({}), ['nonsense'])).toThrow('column=field');
  });
});
