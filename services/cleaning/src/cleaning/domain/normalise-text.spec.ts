import { normaliseStrings, normaliseText } from './normalise-text';

describe('normaliseText', () => {
  it('applies NFKC: full-width letters, digits and punctuation become ASCII; ligatures unfold', () => {
    expect(normaliseText('Ｐｙｔｈｏｎ３ 入门！')).toBe('Python3 入门!');
    expect(normaliseText('ﬁle')).toBe('file');
    expect(normaliseText('①')).toBe('1');
  });

  it('trims whitespace (including the ideographic space) and removes zero-width characters', () => {
    expect(normaliseText('\u3000 多少钱\u200B？ \n')).toBe('多少钱?');
  });

  it('normalises every string value of a tree and leaves keys and other values alone', () => {
    expect(normaliseStrings({ ' k ': ' Ａ ', n: 1, arr: [' b ', { c: 'ｃ' }], nil: null })).toEqual({ ' k ': 'A', n: 1, arr: ['b', { c: 'c' }], nil: null });
  });
});
