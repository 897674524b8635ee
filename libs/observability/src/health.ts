export interface HealthCheck {
  name: string;
  check: () => Promise<{ ok: boolean; detail?: string }>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { ok: boolean; detail?: string; ms: number }>;
}

/** Registry of readiness checks; each runs with a timeout so a hung dependency reads as down. */
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async run(timeoutMs = 2000): Promise<HealthReport> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          const r = await Promise.race([
            c.check(),
            new Promise<{ ok: boolean; detail: string }>((resolve) => {
              timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
            }),
          ]);
          return [c.name, { ...r, ms: Date.now() - started }] as const;
        } catch (e) {
          return [c.name, { ok: false, detail: e instanceof Error ? e.message : String(e), ms: Date.now() - started }] as const;
        } finally {
          if (timer) clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(results);
    return { status: results.every(([, r]) => r.ok) ? 'ok' : 'unavailable', checks };
  }
}
