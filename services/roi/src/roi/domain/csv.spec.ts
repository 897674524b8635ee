import { neutraliseFormula, toCsv } from './csv';

describe('toCsv', () => {
  it('flattens nested records and quotes what needs quoting', () => {
    expect(
      toCsv([
        { key: 'a,b', revenue: { netMinor: 5 }, roi: null },
        { key: 'say "hi"', revenue: { netMinor: -1 }, roi: 1.5 },
      ]),
    ).toBe('key,revenue.netMinor,roi\r\n"a,b",5,\r\n"say ""hi""",-1,1.5\r\n');
  });

  it('neutralises spreadsheet formulas (= + - @ TAB CR) with a leading apostrophe, keeping plain negative numbers numbers', () => {
    const csv = toCsv([
      { key: '=HYPERLINK("http://evil","x")', a: '+1+2', b: '-2+3', c: '@SUM(A1)', d: '\tx', e: '\rx', f: -42, g: '-10000000000000000', h: '-1.5', i: 'ok' },
    ]);
    const row = csv.split('\r\n')[1];
    expect(row).toBe(`"'=HYPERLINK(""http://evil"",""x"")",'+1+2,'-2+3,'@SUM(A1),'\tx,"'\rx",-42,-10000000000000000,-1.5,ok`);
    expect(neutraliseFormula('-')).toBe("'-");
    expect(neutraliseFormula('1e5')).toBe('1e5');
    expect(neutraliseFormula('-1e-5')).toBe('-1e-5');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });
});
