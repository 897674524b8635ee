import { detectDelimiter, looksLikeHeader, parseTime, resolveColumns } from './csv-columns';

describe('eval CSV columns', () => {
  it('reads the Twitch header by name (row index first, the community column is not a weight)', () => {
    const h = ['', 'user_id', 'streamer_name', 'start_time', 'community'];
    expect(looksLikeHeader(h)).toBe(true);
    expect(resolveColumns(h, h.length)).toEqual({ u: 1, i: 2, t: 3, w: undefined, c: undefined });
    expect(resolveColumns(h, h.length, { contentCol: 'community' }).c).toBe(4);
  });

  it('keeps the first row of a headerless file whose ids are not numbers, and uses its 4th column as the weight', () => {
    const row = ['alice', 'streamer-b', '2024-01-01T10:00:00Z', '3'];
    expect(looksLikeHeader(row)).toBe(false);
    expect(looksLikeHeader(['7', '12', '1700000000'])).toBe(false);
    expect(resolveColumns(null, 4)).toEqual({ u: 0, i: 1, t: 2, w: 3, c: undefined });
    expect(resolveColumns(null, 3).w).toBeUndefined();
  });

  it('treats user,item,timestamp,weight under any header names as that layout', () => {
    const h = ['who', 'what', 'when', 'how_much'];
    expect(looksLikeHeader(h)).toBe(true);
    expect(resolveColumns(h, 4)).toEqual({ u: 0, i: 1, t: 2, w: 3, c: undefined });
    expect(resolveColumns(['user', 'item', 'ts', 'w'], 4).w).toBe(3);
    expect(resolveColumns(['user_id', 'item_id', 'timestamp', 'rating', 'weight'], 5).w).toBe(4);
  });

  it('honours flags by name or index and fails naming a missing column', () => {
    const h = ['ts', 'viewer', 'channel', 'minutes'];
    expect(looksLikeHeader(h, { userCol: 'viewer' })).toBe(true);
    expect(resolveColumns(h, 4, { userCol: 'viewer', itemCol: 'channel', timeCol: '0', weightCol: 'minutes' })).toEqual({
      u: 1,
      i: 2,
      t: 0,
      w: 3,
      c: undefined,
    });
    expect(() => resolveColumns(h, 4, { userCol: 'nobody' })).toThrow('column "nobody" not in header');
  });

  it('parses numeric steps and ISO dates, and refuses anything else', () => {
    expect(parseTime('93')).toBe(93);
    expect(parseTime('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(() => parseTime('')).toThrow('unparseable timestamp');
    expect(() => parseTime('start_time')).toThrow('unparseable timestamp');
  });
});

describe('eval CSV layout detection', () => {
  it('never reads the content column as the weight', () => {
    expect(resolveColumns(['user_id', 'item_id', 'timestamp', 'category'], 4, { contentCol: 'category' })).toEqual({
      u: 0,
      i: 1,
      t: 2,
      w: undefined,
      c: 3,
    });
  });

  it('finds comma, tab and semicolon, and nothing in a one-column file', () => {
    expect(detectDelimiter(['a,b,1', 'c,d,2'])).toBe(',');
    expect(detectDelimiter(['196\t242\t3\t881250949', '186\t302\t3\t891717742'])).toBe('\t');
    expect(detectDelimiter(['u;i;t;w', 'a;"x,y";1;0,5', 'b;z;2;1,5'])).toBe(';');
    expect(detectDelimiter(['alice', 'bob'])).toBeNull();
  });

  it('recognises a headerless user,item,rating,timestamp file and reads userId/movieId/rating headers', () => {
    const rows = [
      ['196', '242', '3', '881250949'],
      ['186', '302', '3', '891717742'],
    ];
    expect(resolveColumns(null, 4, {}, rows)).toMatchObject({ u: 0, i: 1, t: 3, w: 2 });
    expect(resolveColumns(['userId', 'movieId', 'rating', 'timestamp'], 4)).toEqual({ u: 0, i: 1, t: 3, w: 2, c: undefined });
    expect(resolveColumns(['user', 'item'], 2).t).toBeUndefined();
    expect(() => resolveColumns(null, 3, { weightCol: '7' })).toThrow('weight column 7 is outside the 3 columns');
  });
});

describe('columns of public e-commerce exports', () => {
  it('reads a REES46 export by its header names (user_id, product_id, event_time), not by position', () => {
    const header = ['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'];
    expect(resolveColumns(header, header.length)).toMatchObject({ u: 7, i: 2, t: 0 });
  });

  it('refuses when a role guessed by position lands on a column another role takes', () => {
    const header = ['when', 'kind', 'sku_code', 'user_id'];
    expect(() => resolveColumns(header, header.length, { userCol: '1' })).toThrow(
      /item and user columns would both be column 1 \("kind"\): name them with --item-col and --user-col/,
    );
  });
});
