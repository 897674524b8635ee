import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCanonicalEvent } from '@livepromo/contracts';
import { checkCsvHeader } from './csv-header';
import { ImportMapping, importMappingSchema, multiplyToMinor, recordToEvent } from './import-mapping';
import { parseCsvRecord, RecordReader } from './record-reader';

const load = (name: string): ImportMapping => importMappingSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'mappings', `${name}.json`), 'utf8')));

/** Runs a CSV text through the reader and the mapping the way an import does; returns canonical events or reject codes. */
function importText(mapping: ImportMapping, text: string) {
  const r = new RecordReader(true);
  const recs = [...r.push(Buffer.from(text)), ...r.end()].filter((x) => x.text.trim() !== '');
  const problem = checkCsvHeader(recs[0].text, mapping, mapping.delimiter ?? ',');
  if (problem) throw new Error(problem.message);
  const header = mapping.columns ?? parseCsvRecord(recs.shift()!.text).map((h) => h.trim());
  return recs.map((rec) => {
    const m = recordToEvent(rec, { tenantId: 'shop-a', format: 'csv', mapping, header, delimiter: ',' });
    if (!m.ok) return m.code;
    const v = validateCanonicalEvent({ ...m.event, tenantId: 'shop-a', receivedAt: '2026-12-01T00:00:00Z' });
    return v.ok ? v.value : `${v.code}: ${v.message}`;
  });
}

describe('named mappings for public exports (synthetic rows in each export format)', () => {
  it('multiplies decimals exactly into minor units', () => {
    expect(multiplyToMinor('6', '2.55')).toBe(1530);
    expect(multiplyToMinor('-12', '0.29')).toBe(-348);
    expect(multiplyToMinor('3', '0.105')).toBe(32); // 31.5 pence → 32, half away from zero
    expect(multiplyToMinor('1', 'x')).toBeNull();
  });

  it('uci-online-retail: paid lines, "C" cancellations as refunds, quantity × price in pence, guests per invoice', () => {
    const out = importText(
      load('uci-online-retail'),
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,"WHITE HANGING HEART, T-LIGHT",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        'C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom',
        '536414,22139,,56,2010-12-01 11:52:00,0.00,,United Kingdom',
      ].join('\n'),
    );
    expect(out[0]).toMatchObject({ type: 'order.paid', userId: '17850', courseId: '85123A', occurredAt: '2010-12-01T08:26:00Z', payload: { orderId: '536365:85123A', amount: { amountMinor: 1530, currency: 'GBP' } } });
    expect(out[1]).toMatchObject({ type: 'order.refunded', userId: '14527', payload: { orderId: 'C536379:D', amount: { amountMinor: 2750, currency: 'GBP' } } });
    expect(out[2]).toMatchObject({ type: 'order.paid', userId: 'guest-536414', payload: { amount: { amountMinor: 0 } } });
  });

  it('taobao-user-behavior: headerless pv|fav|cart|buy in unix seconds, fav as course.favourited', () => {
    const out = importText(load('taobao-user-behavior'), ['1,2268318,2520377,pv,1511544070', '1,2333346,2520771,fav,1511561733', '1,2576651,149192,cart,1511572885', '1,3830808,4181361,buy,1511593493', '1,4365585,2520377,clk,1511596146'].join('\n'));
    expect(out.map((e) => (typeof e === 'string' ? e : e.type))).toEqual(['course.viewed', 'course.favourited', 'cart.added', 'order.paid', 'unmapped_value']);
    expect(out[0]).toMatchObject({ userId: '1', courseId: '2268318', occurredAt: '2017-11-24T17:21:10.000Z', payload: { topics: ['2520377'] } });
    expect(out[3]).toMatchObject({ payload: { orderId: '1:3830808:1511593493', amount: { amountMinor: 0, currency: 'CNY' } } });
  });

  it('taobao-user-behavior: a tab-separated log is refused before any row', () => {
    expect(checkCsvHeader('1\t2268318\t2520377\tpv\t1511544070', load('taobao-user-behavior'), ',')?.code).toBe('wrong_delimiter');
  });

  it('twitch-watch: 10-minute steps → room entered at origin + step × 600 s, streamer and broadcast ids', () => {
    const out = importText(load('twitch-watch'), [',user_id,streamer_name,start_time,community', '1093,43,0,93,8', '1094,43,1,281,8'].join('\n'));
    expect(out[0]).toMatchObject({ type: 'live.room.entered', userId: '43', streamerId: '0', liveSessionId: 'tw-0-93', occurredAt: '2019-01-01T15:30:00.000Z' });
    expect(out[1]).toMatchObject({ streamerId: '1', liveSessionId: 'tw-1-281', occurredAt: '2019-01-02T22:50:00.000Z' });
  });
});
