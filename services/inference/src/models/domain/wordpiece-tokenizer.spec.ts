import { basicTokenize, WordPieceTokenizer } from './wordpiece-tokenizer';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'the', 'price', '?', '多', '少', '钱', ',', 'cafe'];
const tok = new WordPieceTokenizer({ vocab: VOCAB, lowercase: true, maxLength: 8, unkToken: '[UNK]', clsToken: '[CLS]', sepToken: '[SEP]', padToken: '[PAD]', maxCharsPerWord: 100 });

describe('WordPiece tokenizer', () => {
  it('splits CJK characters and punctuation, lower-cases and strips accents like BERT', () => {
    expect(basicTokenize('The Café,多少钱?', true)).toEqual(['the', 'cafe', ',', '多', '少', '钱', '?']);
    expect(basicTokenize('Hello\u0000 World', false)).toEqual(['Hello', 'World']);
  });

  it('takes the longest matching pieces first ("unaffable" → un ##aff ##able) and [UNK] for the rest', () => {
    expect(tok.tokenize('unaffable')).toEqual(['un', '##aff', '##able']);
    expect(tok.tokenize('The price? 多少钱 xyz')).toEqual(['the', 'price', '?', '多', '少', '钱', '[UNK]']);
  });

  it('encodes [CLS] … [SEP], truncates to maxLength and pads the batch with a zero attention mask', () => {
    const b = tok.encode(['多少钱', 'the price the price the price']);
    expect(b.length).toBe(8);
    expect(Array.from(b.inputIds.slice(0, 8)).map(Number)).toEqual([2, 10, 11, 12, 3, 0, 0, 0]);
    expect(Array.from(b.attentionMask.slice(0, 8)).map(Number)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(b.inputIds.slice(8)).map(Number)).toEqual([2, 7, 8, 7, 8, 7, 8, 3]);
  });
});
