import { choiceOption, numberOption, parseCli, UsageError } from './cli';

describe('CLI options', () => {
  const options = { file: { type: 'string' }, speed: { type: 'string' }, dry: { type: 'boolean' } } as const;

  it('parses known options and answers null for --help or -h', () => {
    expect(parseCli(['--file', 'a.csv', '--dry'], options)?.values).toMatchObject({ file: 'a.csv', dry: true });
    expect(parseCli(['--help'], options)).toBeNull();
    expect(parseCli(['-h'], options)).toBeNull();
  });

  it('refuses unknown options, missing values and stray positionals as usage errors', () => {
    expect(() => parseCli(['--fiel', 'a.csv'], options)).toThrow(UsageError);
    expect(() => parseCli(['--file'], options)).toThrow(UsageError);
    expect(() => parseCli(['a.csv'], options)).toThrow(UsageError);
    expect(parseCli(['a.csv'], options, { positionals: true })?.positionals).toEqual(['a.csv']);
  });

  it('checks numbers against their range and names the option', () => {
    expect(numberOption('holdout', undefined, 0.25, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true })).toBe(0.25);
    expect(numberOption('holdout', '0.2', 0.25, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true })).toBe(0.2);
    expect(() => numberOption('holdout', '25', 0.25, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true })).toThrow(
      '--holdout must be a number in (0, 1), got "25"',
    );
    expect(() => numberOption('batch', '2.5', 500, { min: 1, max: 1000, integer: true })).toThrow(/--batch must be an integer in \[1, 1000\]/);
    for (const bad of ['', 'NaN', 'Infinity', '1e999', 'ten']) expect(() => numberOption('speed', bad, 1)).toThrow(UsageError);
  });

  it('accepts one of a set of words', () => {
    expect(choiceOption('split', undefined, ['time', 'random'] as const, 'time')).toBe('time');
    expect(() => choiceOption('split', 'tiem', ['time', 'random'] as const, 'time')).toThrow('--split must be one of time, random, got "tiem"');
  });
});
