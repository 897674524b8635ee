import { charNgrams, DEFAULT_FEATURIZER, featurize, fnv1a32, normalizeText, toDense, validateFeaturizerConfig, wordNgrams } from './text-features';

const enc = (s: string) => new TextEncoder().encode(s);

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors with seed 0', () => {
    expect(fnv1a32(enc(''))).toBe(0x811c9dc5);
    expect(fnv1a32(enc('a'))).toBe(0xe40c292c);
    expect(fnv1a32(enc('foobar'))).toBe(0xbf9cf968);
  });

  it('gives a different bucket layout for another seed', () => {
    expect(fnv1a32(enc('a'), 1)).not.toBe(fnv1a32(enc('a'), 0));
  });
});

describe('normalizeText', () => {
  it('maps full-width forms to half-width, lower-cases and collapses whitespace', () => {
    expect(normalizeText('  ＡＢＣ　１２３\n\tHello  ')).toBe('abc 123 hello');
  });
});

describe('charNgrams', () => {
  it('lists the 1-3 grams of a Chinese comment over code points, with space padding and no blank grams', () => {
    const cfg = { minN: 1, maxN: 3, maxChars: 100 };
    expect(charNgrams('多少钱', cfg)).toEqual(['多', '少', '钱', ' 多', '多少', '少钱', '钱 ', ' 多少', '多少钱', '少钱 ']);
  });

  it('treats an astral emoji as one code point', () => {
    expect(charNgrams('👍', { minN: 1, maxN: 1, maxChars: 10 })).toEqual(['👍']);
  });
});

describe('featurize', () => {
  const cfg = { ...DEFAULT_FEATURIZER, dim: 1024 };

  it('hashes each n-gram as FNV-1a of its UTF-8 bytes modulo dim (same buckets as hashing the strings)', () => {
    const v = featurize('多少钱', cfg);
    const expected = [...new Set(charNgrams('多少钱', cfg).map((g) => fnv1a32(enc(g)) % 1024))].sort((a, b) => a - b);
    expect(Array.from(v.indices)).toEqual(expected);
  });

  it('weights log(1+count) and scales to unit L2 norm', () => {
    // "aa" padded is " aa ": 1-grams a,a; 2-grams " a","aa","a "; 3-grams " aa","aa " → a counted twice.
    const v = featurize('aa', { ...cfg, dim: 1 << 20 });
    const weights = [Math.log(3), Math.log(2), Math.log(2), Math.log(2), Math.log(2), Math.log(2)];
    const norm = Math.hypot(...weights);
    const aBucket = fnv1a32(enc('a')) % (1 << 20);
    const i = Array.from(v.indices).indexOf(aBucket);
    expect(v.values[i]).toBeCloseTo(Math.log(3) / norm, 6);
    expect(Math.hypot(...Array.from(v.values))).toBeCloseTo(1, 6);
  });

  it('is deterministic: the same text gives byte-identical vectors', () => {
    const a = featurize('Python课多少钱？How much?', cfg);
    const b = featurize('Python课多少钱？How much?', JSON.parse(JSON.stringify(cfg)));
    expect(Buffer.from(a.indices.buffer)).toEqual(Buffer.from(b.indices.buffer));
    expect(Buffer.from(a.values.buffer)).toEqual(Buffer.from(b.values.buffer));
  });

  it('gives an empty vector for blank text', () => {
    expect(featurize('   ', cfg).indices.length).toBe(0);
  });

  it('builds a dense row-major matrix', () => {
    const d = toDense([{ indices: Int32Array.from([1]), values: Float32Array.from([0.5]) }, { indices: Int32Array.from([0, 2]), values: Float32Array.from([1, 2]) }], 3);
    expect(Array.from(d)).toEqual([0, 0.5, 0, 1, 0, 2]);
  });
});

describe('char + jieba word n-grams (char-word-ngram-hash)', () => {
  const cfg = { kind: 'char-word-ngram-hash' as const, dim: 1 << 20, minN: 1, maxN: 2, seed: 0, maxChars: 2000, words: { segmenter: 'jieba' as const, minN: 1, maxN: 2 } };

  it('segments the normalised text with jieba and lists word 1-2 grams', () => {
    // NFKC turns the full-width comma into ","
    expect(wordNgrams('房间很大，早餐不错', cfg)).toEqual(['房间', '很大', ',', '早餐', '不错', '房间 很大', '很大 ,', ', 早餐', '早餐 不错']);
  });

  it('drops whitespace tokens and lower-cases before segmenting', () => {
    expect(wordNgrams('Hello   WORLD', { ...cfg, words: { ...cfg.words, maxN: 1 } })).toEqual(['hello', 'world']);
  });

  it('hashes a word n-gram as FNV-1a over 0x01 and each word followed by 0x00, beside the character n-grams', () => {
    const v = featurize('房间很大', cfg);
    const word = (ws: string[]) => fnv1a32(Uint8Array.from([1, ...ws.flatMap((w) => [...enc(w), 0])])) % cfg.dim;
    const charBuckets = charNgrams('房间很大', cfg).map((g) => fnv1a32(enc(g)) % cfg.dim);
    const expected = [...new Set([...charBuckets, word(['房间']), word(['很大']), word(['房间', '很大'])])].sort((a, b) => a - b);
    expect(Array.from(v.indices)).toEqual(expected);
    expect(Math.hypot(...Array.from(v.values))).toBeCloseTo(1, 6);
  });

  it('keeps char-ngram-hash features unchanged by the word option (old models featurize as before)', () => {
    const plain = { kind: 'char-ngram-hash' as const, dim: 4096, minN: 1, maxN: 2, seed: 0, maxChars: 2000 };
    const withWords = featurize('房间很大', { ...cfg, dim: 4096 });
    const without = featurize('房间很大', plain);
    expect(withWords.indices.length).toBeGreaterThan(without.indices.length);
    expect(Array.from(without.indices).every((i) => withWords.indices.includes(i))).toBe(true);
  });

  it('uses an injected segmenter when given one (the recipe does not depend on a global)', () => {
    expect(wordNgrams('ab cd', { ...cfg, words: { ...cfg.words, maxN: 1 } }, (t) => t.split(''))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses inconsistent configs', () => {
    expect(() => validateFeaturizerConfig({ ...cfg, words: undefined })).toThrow('needs words');
    expect(() => validateFeaturizerConfig({ ...DEFAULT_FEATURIZER, words: cfg.words })).toThrow('takes no words');
    expect(() => validateFeaturizerConfig({ ...cfg, words: { ...cfg.words, maxN: 4 } })).toThrow('word n-gram range');
  });
});
