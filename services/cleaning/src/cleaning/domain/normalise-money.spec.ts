import { decimalToMinor, normaliseMoney, parseFxTable, toCnyMinor } from './normalise-money';

const money = (input: unknown, def?: string) => {
  const r = normaliseMoney(input, def);
  return r.ok ? r.money : `ERR ${r.message}`;
};

describe('normaliseMoney', () => {
  it('turns major-unit numbers into integer minor units without float error', () => {
    expect(money(199.9)).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(money(0.1 + 0.2)).toEqual({ amountMinor: 30, currency: 'CNY' });
    expect(money(1.005)).toEqual({ amountMinor: 101, currency: 'CNY' });
    expect(money(19.99, 'USD')).toEqual({ amountMinor: 1999, currency: 'USD' });
    expect(money(1500, 'JPY')).toEqual({ amountMinor: 1500, currency: 'JPY' });
  });

  it('parses decimal strings with separators, symbols, codes and full-width digits', () => {
    expect(money('199.90')).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(money('1,299.00')).toEqual({ amountMinor: 129900, currency: 'CNY' });
    expect(money('¥199.9')).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(money('￥１９９')).toEqual({ amountMinor: 19900, currency: 'CNY' });
    expect(money('199元')).toEqual({ amountMinor: 19900, currency: 'CNY' });
    expect(money('USD 19.99')).toEqual({ amountMinor: 1999, currency: 'USD' });
    expect(money('19.99 usd')).toEqual({ amountMinor: 1999, currency: 'USD' });
    expect(money('$5')).toEqual({ amountMinor: 500, currency: 'USD' });
    expect(money('-3.50')).toEqual({ amountMinor: -350, currency: 'CNY' });
  });

  it('accepts { amount, currency } in major units and { amountMinor, currency } as is', () => {
    expect(money({ amount: 199.9, currency: 'USD' })).toEqual({ amountMinor: 19990, currency: 'USD' });
    expect(money({ amount: '199.90', currency: 'usd' })).toEqual({ amountMinor: 19990, currency: 'USD' });
    expect(money({ amountMinor: 19990, currency: 'CNY' })).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(money({ amountMinor: '19990', currency: 'CNY' })).toEqual({ amountMinor: 19990, currency: 'CNY' });
    expect(money({ amount: 10 })).toEqual({ amountMinor: 1000, currency: 'CNY' });
  });

  it('refuses what it cannot read exactly', () => {
    expect(money('abc')).toMatch(/^ERR unparseable/);
    expect(money({ amountMinor: 19.5, currency: 'CNY' })).toMatch(/^ERR amountMinor must be an integer/);
    expect(money({ amount: 1, currency: 'yuan' })).toMatch(/^ERR invalid currency/);
    expect(money({ currency: 'CNY' })).toMatch(/^ERR money object needs/);
    expect(money(Number.NaN)).toMatch(/^ERR/);
    expect(money([1])).toMatch(/^ERR money must be/);
  });

  it('rounds half away from zero past the minor unit', () => {
    expect(decimalToMinor('1.234', 2)).toBe(123);
    expect(decimalToMinor('1.235', 2)).toBe(124);
    expect(decimalToMinor('-1.235', 2)).toBe(-124);
    expect(decimalToMinor('12.5', 0)).toBe(13);
    expect(decimalToMinor('1.2.3', 2)).toBeNull();
  });
});

describe('FX to CNY', () => {
  const fx = parseFxTable('USD=7.1, eur=7.8,JPY=0.047');

  it('parses the table and always knows CNY', () => {
    expect(fx).toEqual({ CNY: 1, USD: 7.1, EUR: 7.8, JPY: 0.047 });
    expect(() => parseFxTable('USD=abc')).toThrow(/bad FX entry "USD=abc"/);
    expect(() => parseFxTable('USD=0')).toThrow(/rate > 0/);
  });

  it('converts minor units through major units: 19.99 USD × 7.1 = 141.929 CNY → 14193 fen', () => {
    expect(toCnyMinor({ amountMinor: 1999, currency: 'USD' }, fx)).toBe(14193);
    expect(toCnyMinor({ amountMinor: 19990, currency: 'CNY' }, fx)).toBe(19990);
    // 1500 JPY (exponent 0) × 0.047 = 70.5 CNY → 7050 fen
    expect(toCnyMinor({ amountMinor: 1500, currency: 'JPY' }, fx)).toBe(7050);
    expect(toCnyMinor({ amountMinor: 100, currency: 'GBP' }, fx)).toBeNull();
  });
});
