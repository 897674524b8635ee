import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('gathers concurrent submissions into one call and returns each caller its own results', async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => {
      calls.push(xs);
      return xs.map((x) => x * 10);
    }, { maxSize: 100, maxWaitMs: 5 });
    const [a, c] = await Promise.all([b.submit([1, 2]), b.submit([3])]);
    expect(a).toEqual([10, 20]);
    expect(c).toEqual([30]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('never runs a batch larger than maxSize', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>(async (xs) => {
      sizes.push(xs.length);
      return xs;
    }, { maxSize: 4, maxWaitMs: 1 });
    const out = await b.submit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.reduce((a, s) => a + s, 0)).toBe(10);
  });

  it('rejects every caller of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const b = new MicroBatcher<number, number>(async (xs) => {
      if (fail) throw new Error('boom');
      return xs;
    }, { maxSize: 8, maxWaitMs: 1 });
    await expect(b.submit([1])).rejects.toThrow('boom');
    fail = false;
    await expect(b.submit([2])).resolves.toEqual([2]);
  });

  it('resolves whenIdle once the queue drained', async () => {
    const b = new MicroBatcher<number, number>(async (xs) => xs, { maxSize: 2, maxWaitMs: 1 });
    const p = b.submit([1, 2, 3]);
    await b.whenIdle();
    expect(b.pending).toBe(0);
    await p;
  });
});
