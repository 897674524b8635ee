import { MemoryCache } from '@livepromo/cache';
import { DedupStore } from './dedup.store';

const at = (key: string, partition: number, offset: string) => ({ key, partition, offset });
const states = async (p: Promise<{ state: string }[]>) => (await p).map((c) => c.state);

describe('DedupStore', () => {
  it('claims fresh keys and sees a second holder as a duplicate, within one batch too', async () => {
    const store = new DedupStore(new MemoryCache());
    expect(await states(store.claim([at('id:a', 0, '1'), at('id:a', 0, '2'), at('id:b', 0, '3')], 60_000))).toEqual(['fresh', 'other', 'fresh']);
    expect(await states(store.claim([at('id:a', 1, '9')], 60_000))).toEqual(['other']);
  });

  it('recognises a redelivered message: pending before its partition was confirmed, done after', async () => {
    const store = new DedupStore(new MemoryCache());
    await store.claim([at('id:a', 0, '5'), at('id:b', 0, '6')], 60_000);
    // crash before confirm: the same positions come again
    expect(await states(store.claim([at('id:a', 0, '5'), at('id:b', 0, '6')], 60_000))).toEqual(['mine-pending', 'mine-pending']);
    await store.confirm(new Map([[0, '5']]), 60_000);
    // offset 5 is confirmed, 6 is not
    expect(await states(store.claim([at('id:a', 0, '5'), at('id:b', 0, '6')], 60_000))).toEqual(['mine-done', 'mine-pending']);
    // a confirmation of another partition says nothing about partition 0
    await store.confirm(new Map([[1, '100']]), 60_000);
    expect(await states(store.claim([at('id:b', 0, '6')], 60_000))).toEqual(['mine-pending']);
  });

  it('keeps the time of a pending claim, for the recovery probe', async () => {
    const store = new DedupStore(new MemoryCache());
    await store.claim([at('id:a', 0, '5')], 60_000, 1234);
    expect(await store.claim([at('id:a', 0, '5')], 60_000, 9999)).toEqual([{ state: 'mine-pending', claimedAtMs: 1234 }]);
  });

  it('forgets claims after the window', async () => {
    let now = 0;
    const store = new DedupStore(new MemoryCache(() => now));
    await store.claim([at('id:a', 0, '1')], 1000);
    now = 1001;
    expect(await states(store.claim([at('id:a', 0, '2')], 1000))).toEqual(['fresh']);
  });
});
