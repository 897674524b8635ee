import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per service process (or per embedded service, labelled). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly eventsConsumed: Counter<'topic' | 'outcome'>;
  readonly eventsPublished: Counter<'topic'>;

  /**
   * Whether metrics may carry tenant ids (`METRICS_TENANT_LABELS=1`, an operator's opt-in). Off by
   * default: /metrics is unauthenticated, and tenant ids are customer data.
   */
  readonly tenantLabels: boolean;

  /** The value for a `tenant` label: the tenant id when opted in, else `all`. */
  tenant(tenantId: string): string {
    return this.tenantLabels ? tenantId : 'all';
  }

  constructor(service: string, withDefaults = true, env: NodeJS.ProcessEnv = process.env) {
    this.tenantLabels = env.METRICS_TENANT_LABELS === '1';
    this.registry.setDefaultLabels({ service });
    if (withDefaults) collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'livepromo_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'livepromo_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.eventsConsumed = new Counter({
      name: 'livepromo_events_consumed_total',
      help: 'Messages consumed by outcome (handled, dead_lettered)',
      labelNames: ['topic', 'outcome'],
      registers: [this.registry],
    });
    this.eventsPublished = new Counter({
      name: 'livepromo_events_published_total',
      help: 'Messages published',
      labelNames: ['topic'],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<L>;
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
