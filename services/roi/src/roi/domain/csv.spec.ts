import { toCsv } from './csv';

describe('toCsv', () => {
  it('flattens nested records and quotes what needs quoting', () => {
    expect(
      toCsv([
        { key: 'a,b', revenue: { netMinor: 5 }, roi: null },
        { key: 'say "hi"', revenue: { netMinor: -1 }, roi: 1.5 },
      ]),
    ).toBe('key,revenue.netMinor,roi\r\n"a,b",5,\r\n"say ""hi""",-1,1.5\r\n');
  });
});
