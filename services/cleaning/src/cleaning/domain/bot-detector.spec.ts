import { BotDetector, isLinkSpam, LiveObservation } from './bot-detector';

const cfg = { rateWindowMs: 10_000, rateMax: 5, repeatWindowMs: 60_000, repeatMax: 2, likeWindowMs: 10_000, likeMax: 100 };
let n = 0;
const ev = (o: Partial<LiveObservation>): LiveObservation => ({
  eventId: `e${++n}`,
  tenantId: 't',
  liveSessionId: 'ls',
  userId: 'u1',
  type: 'live.product.clicked',
  atMs: 0,
  ...o,
});

describe('BotDetector', () => {
  it('flags the 6th event of one user within 10 s (rateMax 5), and nothing once the window slides', () => {
    const d = new BotDetector(cfg);
    const verdicts = [0, 1000, 2000, 3000, 4000, 5000].map((t) => d.observe(ev({ atMs: t })));
    expect(verdicts).toEqual([null, null, null, null, null, 'rate']);
    // at 12_500 the window (2_500, 12_500] holds 3000, 4000, 5000 and this one: 4 events
    expect(d.observe(ev({ atMs: 12_500 }))).toBeNull();
    // another user is not affected
    expect(d.observe(ev({ atMs: 5000, userId: 'u2' }))).toBeNull();
  });

  it('counts an eventId only once (a retried batch does not inflate the window)', () => {
    const d = new BotDetector(cfg);
    const same = ev({ atMs: 0 });
    for (let i = 0; i < 10; i++) expect(d.observe(same)).toBeNull();
  });

  it('flags the third identical comment in a session within 60 s, from any user, case-insensitively', () => {
    const d = new BotDetector(cfg);
    const c = (userId: string, atMs: number, text = '好课') => d.observe(ev({ type: 'live.comment.posted', userId, atMs, text }));
    expect(c('a', 0)).toBeNull();
    expect(c('b', 1000)).toBeNull();
    expect(c('c', 2000)).toBe('repeated_comment');
    expect(c('d', 2000, 'different')).toBeNull();
    expect(c('e', 70_000)).toBeNull(); // window (10_000, 70_000] holds none of the three
  });

  it('flags links and QR/contact lures in comments', () => {
    const d = new BotDetector(cfg);
    expect(d.observe(ev({ type: 'live.comment.posted', text: '看这里 http://x.y/z', atMs: 0 }))).toBe('link_spam');
    expect(isLinkSpam('扫码领资料')).toBe(true);
    expect(isLinkSpam('加微信 abc12345')).toBe(true);
    expect(isLinkSpam('vx: teacher_001')).toBe(true);
    expect(isLinkSpam('go to example.com now')).toBe(true);
    expect(isLinkSpam('多少钱？怎么买')).toBe(false);
    expect(isLinkSpam('python3.12 好用吗')).toBe(false);
  });

  it('flags a like flood: more than 100 likes by one user within 10 s', () => {
    const d = new BotDetector({ ...cfg, rateMax: 1000 });
    expect(d.observe(ev({ type: 'live.like', likes: 60, atMs: 0 }))).toBeNull();
    expect(d.observe(ev({ type: 'live.like', likes: 40, atMs: 5000 }))).toBeNull(); // 100: not above
    expect(d.observe(ev({ type: 'live.like', likes: 1, atMs: 6000 }))).toBe('like_flood');
    expect(d.observe(ev({ type: 'live.like', likes: 50, atMs: 16_000 }))).toBeNull(); // (6000,16000]: 1 + 50
  });

  it('forgets idle keys on eviction', () => {
    const d = new BotDetector({ ...cfg, idleEvictMs: 1000 });
    d.observe(ev({ atMs: 0 }));
    expect(d.size).toBe(1);
    d.evict(5000);
    expect(d.size).toBe(0);
  });
});
