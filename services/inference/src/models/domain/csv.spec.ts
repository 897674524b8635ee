import { labelledRowsFromCsv, parseCsv } from './csv';

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const text = '\ufefflabel,review\r\n1,"距离近,但是""蔡陆线""麻烦"\r\n0,"两行\n文本"\n1,plain';
    expect(parseCsv(text)).toEqual([
      ['label', 'review'],
      ['1', '距离近,但是"蔡陆线"麻烦'],
      ['0', '两行\n文本'],
      ['1', 'plain'],
    ]);
  });

  it('keeps a stray quote inside an unquoted field and refuses an unclosed quote, naming the line', () => {
    expect(parseCsv('a,b\n1,say "hi"\n')).toEqual([
      ['a', 'b'],
      ['1', 'say "hi"'],
    ]);
    expect(() => parseCsv('a,b\n1,"open\n2,x\n')).toThrow(/CSV could not be read: Quote Not Closed.*line 3/);
  });
});

describe('labelledRowsFromCsv', () => {
  it('picks the named columns and skips rows with an empty text or label', () => {
    const r = labelledRowsFromCsv('label,review\n1,好\n,没有标签\n0,差\n', 'review', 'label');
    expect(r.rows).toEqual([
      { text: '好', label: '1' },
      { text: '差', label: '0' },
    ]);
    expect(r.skipped).toBe(1);
  });

  it('names the missing column', () => {
    expect(() => labelledRowsFromCsv('a,b\n1,2\n', 'text', 'b')).toThrow('text column "text" not in header [a, b]');
  });
});
