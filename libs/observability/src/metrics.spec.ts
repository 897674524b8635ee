import { Metrics } from './metrics';

describe('tenant labels on metrics', () => {
  it('carries no tenant id unless the operator opts in with METRICS_TENANT_LABELS=1', async () => {
    const closed = new Metrics('svc', false, {});
    closed.counter('t_total', 'x', ['tenant']).inc({ tenant: closed.tenant('acme-secret-tenant') });
    expect(await closed.registry.metrics()).not.toContain('acme-secret-tenant');
    expect(await closed.registry.metrics()).toContain('tenant="all"');

    const open = new Metrics('svc', false, { METRICS_TENANT_LABELS: '1' });
    open.counter('t_total', 'x', ['tenant']).inc({ tenant: open.tenant('acme-secret-tenant') });
    expect(await open.registry.metrics()).toContain('tenant="acme-secret-tenant"');
  });
});
