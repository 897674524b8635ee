/**
 * Bot and fraud signals for live rooms, over sliding windows in event time (occurredAt), so the
 * verdict depends on the events, not on when they were processed. Pure and in memory.
 *
 * Signals, checked in this order; the first that fires flags the event:
 * - `link_spam`: a comment carrying a URL, a domain, or a QR-code / private-contact lure
 *   (二维码, 扫码, 加微信, vx/wx + id, "QR");
 * - `rate`: the user's events in the session within `rateWindowMs` (this one included) exceed `rateMax`;
 * - `repeated_comment`: the same normalised comment text in the session within `repeatWindowMs`
 *   (from any user; this one included) exceeds `repeatMax`;
 * - `like_flood`: the user's like count in the session within `likeWindowMs` (this one included) exceeds `likeMax`.
 * An event is only counted once per eventId, so a retried batch does not inflate the windows.
 */
export type BotSignal = 'link_spam' | 'rate' | 'repeated_comment' | 'like_flood';
export const BOT_SIGNALS: readonly BotSignal[] = ['link_spam', 'rate', 'repeated_comment', 'like_flood'];

export interface BotDetectorConfig {
  rateWindowMs: number;
  rateMax: number;
  repeatWindowMs: number;
  repeatMax: number;
  likeWindowMs: number;
  likeMax: number;
  /** Keys idle longer than this are forgotten (memory bound). */
  idleEvictMs?: number;
}

export interface LiveObservation {
  eventId: string;
  tenantId: string;
  liveSessionId: string;
  userId?: string;
  type: string;
  atMs: number;
  /** Normalised comment text, for comments. */
  text?: string;
  /** Like count, for likes. */
  likes?: number;
}

interface Entry {
  id: string;
  at: number;
  weight: number;
}

/** A sliding window of weighted entries; sum over [at - windowMs, at]. */
class Window {
  entries: Entry[] = [];
  lastSeen = 0;

  add(id: string, at: number, weight: number): boolean {
    if (this.entries.some((e) => e.id === id)) return false;
    this.entries.push({ id, at, weight });
    if (at > this.lastSeen) this.lastSeen = at;
    return true;
  }

  sum(at: number, windowMs: number): number {
    let s = 0;
    for (const e of this.entries) if (e.at <= at && e.at > at - windowMs) s += e.weight;
    return s;
  }

  prune(before: number): void {
    if (this.entries.length > 0 && this.entries[0].at <= before) this.entries = this.entries.filter((e) => e.at > before);
  }
}

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|cn|net|org|io|top|xyz|vip|cc|me|link)\b)/i;
const QR_OR_CONTACT = /(二维码|扫码|扫一扫|加微信|加V|加v|\bqr\s*code\b|\bqr\b|\b(vx|wx|v信|微信号)\s*[:：]?\s*[a-z0-9_-]{5,})/i;

export function isLinkSpam(text: string): boolean {
  return LINK.test(text) || QR_OR_CONTACT.test(text);
}

export class BotDetector {
  private readonly userRate = new Map<string, Window>();
  private readonly userLikes = new Map<string, Window>();
  private readonly texts = new Map<string, Window>();
  private observed = 0;
  private readonly longest: number;

  constructor(private readonly cfg: BotDetectorConfig) {
    this.longest = Math.max(cfg.rateWindowMs, cfg.repeatWindowMs, cfg.likeWindowMs);
  }

  /** Records the event in the windows and returns the first signal that fires, or null. */
  observe(o: LiveObservation): BotSignal | null {
    const session = `${o.tenantId}\u0000${o.liveSessionId}`;
    const horizon = o.atMs - 2 * this.longest;
    let signal: BotSignal | null = null;
    if (o.type === 'live.comment.posted' && o.text !== undefined && isLinkSpam(o.text)) signal = 'link_spam';
    if (o.userId) {
      const rate = this.window(this.userRate, `${session}\u0000${o.userId}`);
      rate.add(o.eventId, o.atMs, 1);
      rate.prune(horizon);
      if (!signal && rate.sum(o.atMs, this.cfg.rateWindowMs) > this.cfg.rateMax) signal = 'rate';
    }
    if (o.type === 'live.comment.posted' && o.text) {
      const w = this.window(this.texts, `${session}\u0000${o.text.toLowerCase()}`);
      w.add(o.eventId, o.atMs, 1);
      if (!signal && w.sum(o.atMs, this.cfg.repeatWindowMs) > this.cfg.repeatMax) signal = 'repeated_comment';
    }
    if (o.type === 'live.like' && o.userId) {
      const w = this.window(this.userLikes, `${session}\u0000${o.userId}`);
      w.add(o.eventId, o.atMs, o.likes ?? 1);
      w.prune(horizon);
      if (!signal && w.sum(o.atMs, this.cfg.likeWindowMs) > this.cfg.likeMax) signal = 'like_flood';
    }
    if (++this.observed % 5000 === 0) this.evict(o.atMs);
    return signal;
  }

  /** Number of tracked keys (for tests and metrics). */
  get size(): number {
    return this.userRate.size + this.userLikes.size + this.texts.size;
  }

  /** Drops entries older than the longest window and keys idle for `idleEvictMs`. */
  evict(nowMs: number): void {
    const longest = Math.max(this.cfg.rateWindowMs, this.cfg.repeatWindowMs, this.cfg.likeWindowMs);
    const idle = this.cfg.idleEvictMs ?? 10 * longest;
    for (const map of [this.userRate, this.userLikes, this.texts]) {
      for (const [k, w] of map) {
        if (w.lastSeen < nowMs - idle) map.delete(k);
        else w.prune(nowMs - longest);
      }
    }
  }

  private window(map: Map<string, Window>, key: string): Window {
    let w = map.get(key);
    if (!w) {
      w = new Window();
      map.set(key, w);
    }
    return w;
  }
}
