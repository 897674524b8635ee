/**
 * Money → integer minor units `{ amountMinor, currency }`, the currency kept; never floats.
 *
 * Accepted forms (for a field such as `price`):
 * - a number in major units: `199.9` (currency from the payload's sibling `currency` field, else the default);
 * - a decimal string: `"199.90"`, `"1,299.00"`, `"¥199.90"`, `"USD 19.99"`, `"19.99 usd"`, full-width digits;
 * - `{ amount: 199.9 | "199.90", currency }` (major units);
 * - `{ amountMinor: 19990, currency }` (already minor units; must be an integer).
 * More decimals than the currency has are rounded half away from zero on the decimal digits
 * (so the float 1.005 becomes 101 minor units, not 100).
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

export type MoneyResult = { ok: true; money: Money } | { ok: false; message: string };

/** Decimal places of the minor unit (ISO 4217); 2 unless listed. */
export const CURRENCY_EXPONENT: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function exponentOf(currency: string): number {
  return CURRENCY_EXPONENT[currency] ?? 2;
}

const SYMBOLS: Readonly<Record<string, string>> = { '¥': 'CNY', '元': 'CNY', $: 'USD', '€': 'EUR', '£': 'GBP', 'HK$': 'HKD', 'US$': 'USD' };
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Exact decimal string → minor units, rounding half away from zero past `exponent` digits. */
export function decimalToMinor(decimal: string, exponent: number): number | null {
  const m = DECIMAL.exec(decimal);
  if (!m) return null;
  const [, sign, int, frac = ''] = m;
  const kept = frac.slice(0, exponent).padEnd(exponent, '0');
  let minor = Number(int) * 10 ** exponent + (kept === '' ? 0 : Number(kept));
  if (frac.length > exponent && Number(frac[exponent]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return null;
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** A JS number as an exact-looking decimal string (`0.1` stays `0.1`, never `1e-7` style). */
export function numberToDecimal(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const s = String(value);
  return /e/i.test(s) ? value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '') : s;
}

function normaliseCurrency(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const c = value.normalize('NFKC').trim().toUpperCase();
  return CURRENCY.test(c) ? c : null;
}

function parseMoneyString(raw: string, defaultCurrency: string): MoneyResult {
  let s = raw.normalize('NFKC').trim().replace(/[,_]/g, '');
  let currency: string | null = null;
  const codeMatch = /^([A-Za-z]{3})\s*(.+)$/.exec(s) ?? /^(.+?)\s*([A-Za-z]{3})$/.exec(s);
  if (codeMatch) {
    const [, a, b] = codeMatch;
    if (/^[A-Za-z]{3}$/.test(a)) {
      currency = a.toUpperCase();
      s = b.trim();
    } else {
      currency = b.toUpperCase();
      s = a.trim();
    }
  }
  for (const [symbol, code] of Object.entries(SYMBOLS).sort((x, y) => y[0].length - x[0].length)) {
    if (s.startsWith(symbol)) {
      currency = currency ?? code;
      s = s.slice(symbol.length).trim();
      break;
    }
    if (s.endsWith(symbol)) {
      currency = currency ?? code;
      s = s.slice(0, -symbol.length).trim();
      break;
    }
  }
  const cur = currency ?? defaultCurrency;
  const minor = decimalToMinor(s, exponentOf(cur));
  if (minor === null) return { ok: false, message: `unparseable amount ${JSON.stringify(raw.slice(0, 64))}` };
  return { ok: true, money: { amountMinor: minor, currency: cur } };
}

export function normaliseMoney(input: unknown, defaultCurrency = 'CNY'): MoneyResult {
  const def = normaliseCurrency(defaultCurrency);
  if (!def) return { ok: false, message: `invalid currency ${JSON.stringify(defaultCurrency)}` };
  if (typeof input === 'number') {
    const dec = numberToDecimal(input);
    const minor = dec === null ? null : decimalToMinor(dec, exponentOf(def));
    return minor === null ? { ok: false, message: `unusable amount ${input}` } : { ok: true, money: { amountMinor: minor, currency: def } };
  }
  if (typeof input === 'string') return parseMoneyString(input, def);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, message: 'money must be a number, a decimal string or an object with amount/amountMinor and currency' };
  }
  const o = input as Record<string, unknown>;
  const currency = o.currency === undefined ? def : normaliseCurrency(o.currency);
  if (!currency) return { ok: false, message: `invalid currency ${JSON.stringify(o.currency)}: expected an ISO 4217 code` };
  if (o.amountMinor !== undefined) {
    const v = typeof o.amountMinor === 'string' && /^[+-]?\d+$/.test(o.amountMinor.trim()) ? Number(o.amountMinor) : o.amountMinor;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return { ok: false, message: `amountMinor must be an integer, got ${JSON.stringify(o.amountMinor)}` };
    return { ok: true, money: { amountMinor: v, currency } };
  }
  if (o.amount !== undefined) {
    if (typeof o.amount === 'number' || typeof o.amount === 'string') {
      const r = normaliseMoney(o.amount, currency);
      if (!r.ok) return r;
      if (r.money.currency !== currency && o.currency !== undefined) {
        return { ok: false, message: `amount says ${r.money.currency} but currency says ${currency}` };
      }
      return r;
    }
    return { ok: false, message: `amount must be a number or a decimal string, got ${typeof o.amount}` };
  }
  return { ok: false, message: 'money object needs amount (major units) or amountMinor (minor units)' };
}

/** FX table to CNY: `USD=7.1,EUR=7.8` → { USD: 7.1, EUR: 7.8, CNY: 1 }. Throws naming the bad entry. */
export function parseFxTable(spec: string): Record<string, number> {
  const table: Record<string, number> = { CNY: 1 };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{3})\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || Number(m[2]) <= 0) throw new Error(`bad FX entry ${JSON.stringify(part)}: expected CODE=rate with rate > 0`);
    table[m[1].toUpperCase()] = Number(m[2]);
  }
  return table;
}

/**
 * CNY equivalent in fen: amountMinor / 10^exponent(currency) × rate × 100, rounded half away from zero.
 * Null when the table has no rate for the currency.
 */
export function toCnyMinor(money: Money, fx: Readonly<Record<string, number>>): number | null {
  if (money.currency === 'CNY') return money.amountMinor;
  const rate = fx[money.currency];
  if (rate === undefined) return null;
  const v = (money.amountMinor / 10 ** exponentOf(money.currency)) * rate * 100;
  return Math.sign(v) * Math.round(Math.abs(v) + 1e-9);
}
