/**
 * Command-line plumbing shared by every livepromo CLI (import, eval, train, replay): one way to read options
 * (node:util parseArgs, strict), one way to refuse them (UsageError → exit 2 with the message and a pointer to
 * --help), and checked numbers that name the option at fault.
 */
import { parseArgs, ParseArgsConfig } from 'node:util';

/** Bad options: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Unusable input data (a file the CLI cannot use): the CLI prints the message and exits 1. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `argv` strictly (unknown options, missing values and stray positionals are UsageErrors).
 * Returns null when `--help` was asked for (the caller prints its usage and exits 0).
 */
export function parseCli<O extends Options>(
  argv: readonly string[],
  options: O,
  opts: { positionals?: boolean } = {},
): { values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values']; positionals: string[] } | null {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as O;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: all, strict: true, allowPositionals: opts.positionals ?? false });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if ((parsed.values as Record<string, unknown>).help) return null;
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * A number option, checked: finite, optionally an integer, within [min, max]. `undefined` gives `def`.
 * The error names the option and the accepted range, e.g. "--holdout must be a number in (0, 1), got 25".
 */
export function numberOption(
  name: string,
  raw: string | undefined,
  def: number,
  range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean } = {},
): number {
  if (raw === undefined) return def;
  const x = Number(raw);
  const lo = range.min ?? -Infinity;
  const hi = range.max ?? Infinity;
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(x) &&
    (!range.integer || Number.isInteger(x)) &&
    (range.exclusiveMin ? x > lo : x >= lo) &&
    (range.exclusiveMax ? x < hi : x <= hi);
  if (!ok) {
    const open = range.exclusiveMin ? '(' : '[';
    const close = range.exclusiveMax ? ')' : ']';
    throw new UsageError(`--${name} must be ${range.integer ? 'an integer' : 'a number'} in ${open}${lo}, ${hi}${close}, got ${JSON.stringify(raw)}`);
  }
  return x;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[], def: T): T {
  if (raw === undefined) return def;
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

/**
 * Runs a CLI's main: prints `usage` and exits 0 when main returns 'help'; a UsageError exits 2, a DataError 1, anything
 * else 1, each with `<name>: message` on stderr. Sets process.exitCode instead of exiting, so output is flushed.
 */
export function runCli(name: string, usage: string, main: () => Promise<'help' | void>): void {
  main().then(
    (r) => {
      if (r === 'help') process.stdout.write(`${usage}\n`);
    },
    (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`${name}: ${msg}${e instanceof UsageError ? '\n(run with --help for every option)' : ''}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
