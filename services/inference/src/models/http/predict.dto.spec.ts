import { predictBodySchema } from './predict.dto';

const schema = predictBodySchema(3, 10);
const messages = (body: unknown) => {
  const r = schema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('predict body', () => {
  it('accepts one text or a batch', () => {
    expect(messages({ text: 'hi' })).toEqual([]);
    expect(messages({ texts: ['a', 'b'], model: 'comment-intent' })).toEqual([]);
  });

  it('explains each malformed input', () => {
    expect(messages({ texts: [] })).toEqual(['texts: must hold at least one text']);
    expect(messages({ texts: ['a', 'b', 'c', 'd'] })).toEqual(['texts: must hold at most 3 texts']);
    expect(messages({ texts: ['x'.repeat(11)] })).toEqual(['texts.0: must be at most 10 characters']);
    expect(messages({ texts: ['  '] })).toEqual(['texts.0: must not be empty or blank']);
    expect(messages({ texts: [1] })).toEqual(['texts.0: must be a string, got number']);
    expect(messages({ texts: 'abc' })).toEqual(['texts: must be an array of strings, got string']);
    expect(messages({})).toEqual(['texts: give exactly one of "text" or "texts"']);
    expect(messages({ text: 'a', texts: ['b'] })).toEqual(['texts: give exactly one of "text" or "texts"']);
    expect(messages({ texts: ['a'], extra: 1 })).toEqual([': unknown field(s): extra']);
    expect(messages([1, 2])).toEqual([': body must be a JSON object']);
  });
});
