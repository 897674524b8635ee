/**
 * Static checks of the Kubernetes manifests in deploy/k8s/base (kustomize base; no cluster where this is built).
 * Each check returns a list of problems: the real manifests must give none, and a deliberately broken copy must give
 * the specific problem (so the checks can fail). Where kubectl exists, the base is also rendered with
 * `kubectl kustomize` and the rendered objects must be the ones parsed from the files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { TOPICS, TOPIC_NAMES, TopicName } from '@livepromo/contracts';

const ROOT = resolve(__dirname, '..');
const BASE = join(ROOT, 'deploy', 'k8s', 'base');
const SERVICES: Record<string, number> = {
  ingestion: 3001,
  cleaning: 3002,
  'user-profile': 3003,
  'streamer-recommender': 3004,
  'content-optimiser': 3005,
  roi: 3006,
  inference: 3007,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML of arbitrary shape, checked below
type Obj = Record<string, any>;

function loadBase(): Obj[] {
  const kustomization = parseYaml(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8')) as Obj;
  const docs: Obj[] = [];
  for (const file of kustomization.resources as string[]) {
    for (const d of parseAllDocuments(readFileSync(join(BASE, file), 'utf8'))) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      const o = d.toJS() as Obj | null;
      if (o) docs.push({ ...o, __file: file });
    }
  }
  return docs;
}

const id = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
const ofKind = (docs: Obj[], kind: string) => docs.filter((d) => d.kind === kind);
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Files in the base that the kustomization does not list (they would silently not be applied). */
export function unlistedFiles(): string[] {
  const k = parseYaml(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8')) as Obj;
  return readdirSync(BASE)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && !(k.resources as string[]).includes(f))
    .map((f) => `${f} is not listed in kustomization.yaml resources`);
}

export function deploymentProblems(docs: Obj[]): string[] {
  const p: string[] = [];
  const deployments = ofKind(docs, 'Deployment');
  const names = deployments.map((d) => d.metadata.name).sort();
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(SERVICES).sort())) p.push(`Deployments ${names.join(',')} are not the seven services`);
  const configMaps = new Set(ofKind(docs, 'ConfigMap').map((c) => c.metadata.name));
  const secrets = new Set(ofKind(docs, 'Secret').map((c) => c.metadata.name));
  for (const d of deployments) {
    const n = id(d);
    const labels = d.spec?.template?.metadata?.labels;
    if (!matches(d.spec?.selector?.matchLabels, labels)) p.push(`${n}: selector does not match the pod template labels`);
    if ((d.spec?.replicas ?? 1) < 2) p.push(`${n}: fewer than 2 replicas (a PodDisruptionBudget could never allow an eviction)`);
    const containers: Obj[] = d.spec?.template?.spec?.containers ?? [];
    if (containers.length === 0) p.push(`${n}: no containers`);
    for (const c of containers) {
      const ports = new Map<string, number>((c.ports ?? []).map((x: Obj) => [x.name, x.containerPort]));
      const port = SERVICES[d.metadata.name];
      if (ports.get('http') !== port) p.push(`${n}: container port "http" is not ${port}`);
      const envPort = (c.env ?? []).find((e: Obj) => e.name === 'PORT')?.value;
      if (envPort !== String(port)) p.push(`${n}: PORT env is ${envPort}, not ${port}`);
      for (const [probe, path] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready'], ['startupProbe', '/health/live']] as const) {
        const g = c[probe]?.httpGet;
        if (!g) p.push(`${n}: ${probe} missing`);
        else {
          if (g.path !== path) p.push(`${n}: ${probe} path ${g.path}, expected ${path}`);
          if (typeof g.port === 'string' ? !ports.has(g.port) : g.port !== port) p.push(`${n}: ${probe} port ${g.port} is not a container port`);
        }
      }
      for (const kind of ['requests', 'limits'] as const) {
        for (const r of ['cpu', 'memory']) if (!c.resources?.[kind]?.[r]) p.push(`${n}: resources.${kind}.${r} missing`);
      }
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !configMaps.has(from.configMapRef.name)) p.push(`${n}: envFrom ConfigMap ${from.configMapRef.name} not defined`);
        if (from.secretRef && !secrets.has(from.secretRef.name)) p.push(`${n}: envFrom Secret ${from.secretRef.name} not defined`);
      }
      if (!(c.envFrom ?? []).some((f: Obj) => f.configMapRef) || !(c.envFrom ?? []).some((f: Obj) => f.secretRef)) p.push(`${n}: config must come from a ConfigMap and a Secret`);
      const volumes = new Set((d.spec.template.spec.volumes ?? []).map((v: Obj) => v.name));
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) p.push(`${n}: volumeMount ${m.name} has no volume`);
    }
    const svc = ofKind(docs, 'Service').find((s) => s.metadata.name === d.metadata.name);
    if (!svc) p.push(`${n}: no Service`);
    else if (!matches(svc.spec?.selector, labels)) p.push(`Service/${svc.metadata.name}: selector does not match the pods`);
    const pdb = ofKind(docs, 'PodDisruptionBudget').find((s) => matches(s.spec?.selector?.matchLabels, labels));
    if (!pdb) p.push(`${n}: no PodDisruptionBudget selects its pods`);
    else if (pdb.spec.minAvailable !== undefined && pdb.spec.minAvailable >= (d.spec?.replicas ?? 1)) p.push(`${id(pdb)}: minAvailable blocks every eviction`);
  }
  return p;
}

/** The consumer groups a service really subscribes, read from its source (`topic: '...'` then `groupId: '...'`). */
function groupsInSource(service: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/topic:\s*'([\w.]+)',\s*groupId:\s*'([\w.-]+)'/g)) out.set(m[2], m[1]);
      }
    }
  };
  walk(join(ROOT, 'services', service, 'src'));
  return out;
}

export function scaledObjectProblems(docs: Obj[]): string[] {
  const p: string[] = [];
  const deployments = new Set(ofKind(docs, 'Deployment').map((d) => d.metadata.name));
  const auths = new Set(ofKind(docs, 'TriggerAuthentication').map((d) => d.metadata.name));
  for (const so of ofKind(docs, 'ScaledObject')) {
    const n = id(so);
    const target = so.spec?.scaleTargetRef?.name;
    if (!deployments.has(target)) p.push(`${n}: scaleTargetRef ${target} is not a Deployment`);
    const triggers: Obj[] = so.spec?.triggers ?? [];
    if (triggers.length === 0) p.push(`${n}: no triggers`);
    const groups = deployments.has(target) ? groupsInSource(target) : new Map<string, string>();
    let partitions = Infinity;
    for (const t of triggers) {
      if (t.type !== 'kafka') continue;
      const topic = t.metadata?.topic as TopicName;
      if (!(TOPIC_NAMES as readonly string[]).includes(topic)) {
        p.push(`${n}: topic ${topic} is not in the registry`);
        continue;
      }
      partitions = Math.min(partitions, TOPICS[topic].partitions);
      if (groups.get(t.metadata.consumerGroup) !== topic) p.push(`${n}: ${target} has no consumer group ${t.metadata.consumerGroup} on ${topic}`);
      if (!(Number(t.metadata.lagThreshold) > 0)) p.push(`${n}: lagThreshold must be a positive number`);
      if (!t.metadata.bootstrapServers && !t.metadata.bootstrapServersFromEnv) p.push(`${n}: no bootstrap servers`);
      if (t.authenticationRef && !auths.has(t.authenticationRef.name)) p.push(`${n}: TriggerAuthentication ${t.authenticationRef.name} not defined`);
    }
    const max = so.spec?.maxReplicaCount;
    const min = so.spec?.minReplicaCount ?? 0;
    if (!(max >= 1)) p.push(`${n}: maxReplicaCount missing`);
    if (max > partitions) p.push(`${n}: maxReplicaCount ${max} exceeds the ${partitions} partitions of its topics (extra members would idle)`);
    if (min > max) p.push(`${n}: minReplicaCount ${min} above maxReplicaCount ${max}`);
  }
  return p;
}

/** The topics Job must create exactly the registry: name, partitions, retention (compaction for the key directory). */
export function topicJobProblems(docs: Obj[]): string[] {
  const job = ofKind(docs, 'Job').find((j) => j.metadata.name === 'livepromo-topics');
  if (!job) return ['no Job livepromo-topics'];
  const script = (job.spec.template.spec.containers[0].args ?? []).join('\n') as string;
  const created = new Map<string, { partitions: number; config: string }>();
  for (const m of script.matchAll(/^\s*create ([\w.]+) (\d+) (\S+)\s*$/gm)) created.set(m[1], { partitions: Number(m[2]), config: m[3] });
  const p: string[] = [];
  for (const t of TOPIC_NAMES) {
    const c = created.get(t);
    const config = t === 'tenants.keys.v1' ? 'cleanup.policy=compact' : `retention.ms=${TOPICS[t].retentionMs}`;
    if (!c) p.push(`topic ${t} is not created by the Job`);
    else {
      if (c.partitions !== TOPICS[t].partitions) p.push(`topic ${t}: Job creates ${c.partitions} partitions, registry says ${TOPICS[t].partitions}`);
      if (c.config !== config) p.push(`topic ${t}: Job config ${c.config}, expected ${config}`);
    }
  }
  for (const t of created.keys()) if (!(TOPIC_NAMES as readonly string[]).includes(t)) p.push(`Job creates ${t}, which is not in the registry`);
  if (!/--if-not-exists/.test(script)) p.push('Job is not idempotent (--if-not-exists)');
  return p;
}

describe('deploy/k8s/base (kustomize)', () => {
  const docs = loadBase();
  const clone = (): Obj[] => JSON.parse(JSON.stringify(docs)) as Obj[];

  it('lists every manifest file in the kustomization', () => {
    expect(unlistedFiles()).toEqual([]);
  });

  it('has a Deployment per service with probes, resources, ConfigMap/Secret config, a Service and a PodDisruptionBudget', () => {
    expect(deploymentProblems(docs)).toEqual([]);
    const broken = clone();
    const d = broken.find((o) => o.kind === 'Deployment' && o.metadata.name === 'roi')!;
    delete d.spec.template.spec.containers[0].readinessProbe;
    delete d.spec.template.spec.containers[0].resources.limits.memory;
    d.spec.selector.matchLabels['app.kubernetes.io/name'] = 'roi-typo';
    expect(deploymentProblems(broken)).toEqual(
      expect.arrayContaining([
        'Deployment/roi: readinessProbe missing',
        'Deployment/roi: resources.limits.memory missing',
        'Deployment/roi: selector does not match the pod template labels',
      ]),
    );
  });

  it('scales every consumer on lag with KEDA, never above the partition count, on groups the services really use', () => {
    expect(scaledObjectProblems(docs)).toEqual([]);
    expect(ofKind(docs, 'ScaledObject').map((s) => s.metadata.name).sort()).toEqual(['cleaning', 'content-optimiser', 'inference', 'roi', 'streamer-recommender', 'user-profile']);
    const broken = clone();
    const so = broken.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'cleaning')!;
    so.spec.maxReplicaCount = 12;
    so.spec.triggers[0].metadata.consumerGroup = 'cleaning.nope';
    expect(scaledObjectProblems(broken)).toEqual([
      'ScaledObject/cleaning: cleaning has no consumer group cleaning.nope on ingest.raw.v1',
      'ScaledObject/cleaning: maxReplicaCount 12 exceeds the 6 partitions of its topics (extra members would idle)',
    ]);
  });

  it('provisions exactly the registry topics in a Job', () => {
    expect(topicJobProblems(docs)).toEqual([]);
    const broken = clone();
    const job = broken.find((o) => o.kind === 'Job')!;
    job.spec.template.spec.containers[0].args = [job.spec.template.spec.containers[0].args[0].replace('create roi.updated.v1 3', 'create roi.updated.v1 6')];
    expect(topicJobProblems(broken)).toEqual(['topic roi.updated.v1: Job creates 6 partitions, registry says 3']);
  });

  it('the Grafana dashboard only charts metrics the services declare', () => {
    const dash = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'livepromo-services.json'), 'utf8')) as Obj;
    const exprs = (dash.panels as Obj[]).flatMap((panel) => (panel.targets as Obj[]).map((t) => t.expr as string));
    expect(exprs.length).toBeGreaterThan(5);
    const declared = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue;
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/'(livepromo_[a-z_]+)'/g)) declared.add(m[1]);
      }
    };
    walk(join(ROOT, 'libs'));
    walk(join(ROOT, 'services'));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(livepromo_[a-z_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''))));
    expect([...used].filter((m) => !declared.has(m))).toEqual([]);
    expect(used).toContain('livepromo_consumer_lag');
  });

  const haveKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  (haveKubectl ? it : it.skip)('renders with kubectl kustomize into the same objects, all in the livepromo namespace', () => {
    const out = execFileSync('kubectl', ['kustomize', BASE], { encoding: 'utf8', timeout: 60_000 });
    const rendered = parseAllDocuments(out).map((d) => d.toJS() as Obj);
    expect(rendered.map(id).sort()).toEqual(docs.map(id).sort());
    for (const o of rendered) {
      if (o.kind !== 'Namespace') expect([id(o), o.metadata.namespace]).toEqual([id(o), 'livepromo']);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('livepromo');
    }
    const images = rendered.filter((o) => o.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0].image as string);
    for (const i of images) expect(i).toMatch(/^livepromo\/[a-z-]+:local$/);
  });
});
