import { checkCsvHeader, firstLine } from './csv-header';
import { importMappingSchema } from './import-mapping';
import { MAX_RECORD_LINES, RecordReader } from './record-reader';

const read = (text: string, csv = true) => {
  const r = new RecordReader(csv);
  return [...r.push(Buffer.from(text)), ...r.end()];
};

describe('RecordReader on hostile CSV', () => {
  it('rejects a line whose quote never closes and reads every line after it as its own row (16,000 lines)', () => {
    const lines = ['a,b,c', '1,"unbalanced,3'];
    for (let i = 0; i < 16_000; i++) lines.push(`${i},x${i},y`);
    const recs = read(`${lines.join('\n')}\n`);
    expect(recs).toHaveLength(16_002);
    expect(recs[1]).toMatchObject({ line: 2, lastLine: 2, error: 'unbalanced_quote', text: '1,"unbalanced,3' });
    expect(recs.filter((r) => r.error)).toHaveLength(1);
    expect(recs[2]).toMatchObject({ line: 3, text: '0,x0,y' });
    expect(recs[16_001]).toMatchObject({ line: 16_002, text: '15999,x15999,y' });
    // byte offsets stay increasing (a checkpoint resumes exactly after a record)
    expect(recs.every((r, i) => i === 0 || r.endByte > recs[i - 1].endByte)).toBe(true);
  });

  it('still joins a quoted field spanning several lines within the allowed span', () => {
    const span = Array.from({ length: MAX_RECORD_LINES - 1 }, (_, i) => `l${i}`).join('\n');
    const recs = read(`h1,h2\n"${span}",2\nnext,3\n`);
    expect(recs.map((r) => [r.line, r.lastLine, r.error])).toEqual([
      [1, 1, undefined],
      [2, MAX_RECORD_LINES, undefined],
      [MAX_RECORD_LINES + 1, MAX_RECORD_LINES + 1, undefined],
    ]);
  });

  it('an unclosed quote at the end of the file rejects only its line', () => {
    const recs = read('h\nok1\n"open\nok2\nok3');
    expect(recs.map((r) => [r.text, r.error ?? null])).toEqual([
      ['h', null],
      ['ok1', null],
      ['"open', 'unbalanced_quote'],
      ['ok2', null],
      ['ok3', null],
    ]);
  });
});

describe('checkCsvHeader', () => {
  const mapping = importMappingSchema.parse({
    fields: { type: { column: 'event_type', values: { view: 'course.viewed' } }, occurredAt: { column: 'event_time', convert: 'timestamp' }, userId: 'user_id' },
    payload: { 'order.paid': { orderId: { template: '{user_session}:{product_id}' } } },
  });

  it('accepts a header naming every column the mapping reads', () => {
    expect(checkCsvHeader('event_time,event_type,product_id,user_id,user_session', mapping, ',')).toBeNull();
  });

  it('names the missing columns', () => {
    expect(checkCsvHeader('event_time,event_type,user_id', mapping, ',')).toMatchObject({ code: 'missing_columns', missing: ['user_session', 'product_id'] });
  });

  it('tells a tab- or semicolon-separated file from a file without a header row', () => {
    expect(checkCsvHeader('event_time\tevent_type\tproduct_id\tuser_id\tuser_session', mapping, ',')?.code).toBe('wrong_delimiter');
    expect(checkCsvHeader('event_time;event_type;product_id;user_id;user_session', mapping, ',')).toMatchObject({ code: 'wrong_delimiter', message: expect.stringContaining('semicolon') });
    expect(checkCsvHeader('2019-10-01 00:00:00 UTC,view,44600062,541312140,72d76fde', mapping, ',')?.code).toBe('no_header_row');
  });

  it('finds the first non-blank line', () => {
    expect(firstLine(Buffer.from('\r\n\nh1,h2\r\nx,y'))).toBe('h1,h2');
    expect(firstLine(Buffer.from('\n\n'))).toBeNull();
  });
});
