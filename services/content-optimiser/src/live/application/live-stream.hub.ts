import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

export interface LiveStreamMessage {
  kind: 'metrics' | 'suggestion';
  data: unknown;
}

type Listener = (m: LiveStreamMessage) => void;
type Closer = () => void;

/**
 * In-process fan-out of what this instance published, per tenant and session, for the
 * server-sent-events route. Listeners are removed when their HTTP connection closes.
 */
@Injectable()
export class LiveStreamHub implements BeforeApplicationShutdown {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<Closer>();

  /** Ends every open stream so the HTTP server can close (shutdown, restart). */
  beforeApplicationShutdown(): void {
    for (const c of [...this.closers]) c();
    this.closers.clear();
  }

  /** Registers how to end one stream at shutdown; returns the unregister function. */
  onShutdown(close: Closer): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  private key(tenantId: string, sessionId: string): string {
    return `${tenantId}\u0000${sessionId}`;
  }

  subscribe(tenantId: string, sessionId: string, listener: Listener): () => void {
    const k = this.key(tenantId, sessionId);
    let set = this.listeners.get(k);
    if (!set) this.listeners.set(k, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(k);
    };
  }

  emit(tenantId: string, sessionId: string, message: LiveStreamMessage): void {
    const set = this.listeners.get(this.key(tenantId, sessionId));
    if (!set) return;
    for (const l of set) l(message);
  }

  get size(): number {
    return this.listeners.size;
  }
}
