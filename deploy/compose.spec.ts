/**
 * Static checks of the ops deliverables: docker-compose.yml, deploy/Dockerfile, .dockerignore.
 *
 * No Docker engine is available where this project is developed, so nothing here builds an image
 * or starts a container. Instead the compose file is validated against the official Compose
 * Specification JSON schema (vendored in deploy/compose-spec.schema.json, source in
 * deploy/README.md) and against this project's rules, and the Dockerfile is parsed line by line.
 *
 * Each check is a function that returns a list of problems; the tests expect an empty list for
 * the real files and a specific problem for deliberately broken inputs (so the checks can fail).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import Ajv, { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(__dirname, '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const DOCKERFILE = join(ROOT, 'deploy', 'Dockerfile');
const DOCKERFILE_IN_CONTEXT = 'deploy/Dockerfile';
const SCHEMA_FILE = join(ROOT, 'deploy', 'compose-spec.schema.json');
const DOCKERIGNORE = join(ROOT, '.dockerignore');

/** The decided service set and ports (docs: "Seven services"). */
const EXPECTED_SERVICES: Record<string, number> = {
  ingestion: 3001,
  cleaning: 3002,
  'user-profile': 3003,
  'streamer-recommender': 3004,
  'content-optimiser': 3005,
  roi: 3006,
  inference: 3007,
};
const INFRASTRUCTURE = ['kafka', 'postgres', 'redis'] as const;
const SHARED_ENV = ['PORT', 'KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'LIVEPROMO_TOPIC_PREFIX'];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

/** What a developer would have in .env when running `docker compose up`. */
const TEST_ENV: Record<string, string> = { OPERATOR_TOKEN: 'test-operator-token', SECRET_ENCRYPTION_KEY: 'test-secret-encryption-key' };

// ------------------------------------------------------------------------------------------------
// Compose: loading (YAML merge keys as compose supports them, then ${VAR} interpolation)
// ------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML of arbitrary shape, checked by the schema
type Dict = Record<string, any>;

class MissingVariableError extends Error {}

/** Compose-style interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+a}, ${VAR+a}. */
function interpolate(text: string, env: Record<string, string | undefined>, where: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length; j += 1) {
        if (text[j] === '{') depth += 1;
        else if (text[j] === '}' && --depth === 0) break;
      }
      if (depth !== 0) throw new Error(`${where}: unclosed "\${" in ${JSON.stringify(text)}`);
      out += substitute(text.slice(i + 2, j), env, where);
      i = j + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!name) throw new Error(`${where}: invalid "$" in ${JSON.stringify(text)} (write $$ for a literal $)`);
    out += env[name[0]] ?? '';
    i += 1 + name[0].length;
  }
  return out;
}

function substitute(expr: string, env: Record<string, string | undefined>, where: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(expr);
  if (!m) throw new Error(`${where}: invalid interpolation "\${${expr}}"`);
  const [, name, op, arg = ''] = m;
  const value = env[name];
  const unset = value === undefined;
  const empty = unset || value === '';
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return empty ? interpolate(arg, env, where) : value;
    case '-':
      return unset ? interpolate(arg, env, where) : value;
    case ':?':
    case '?':
      if (op === ':?' ? empty : unset) throw new MissingVariableError(`${where}: required variable ${name} is missing a value: ${arg}`);
      return value!;
    case ':+':
      return empty ? '' : interpolate(arg, env, where);
    case '+':
      return unset ? '' : interpolate(arg, env, where);
    default:
      throw new Error(`${where}: unsupported operator ${op}`);
  }
}

function interpolateDeep(value: Json, env: Record<string, string | undefined>, where = ''): Json {
  if (typeof value === 'string') return interpolate(value, env, where || '(root)');
  if (Array.isArray(value)) return value.map((v, i) => interpolateDeep(v, env, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    // Like compose: values are interpolated, keys are not.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env, where ? `${where}.${k}` : k)]));
  }
  return value;
}

function parseComposeText(text: string): Dict {
  // merge: true resolves `<<: *anchor` as docker compose does.
  return parseYaml(text, { merge: true, uniqueKeys: true }) as Dict;
}

function loadCompose(env: Record<string, string | undefined> = TEST_ENV): Dict {
  return interpolateDeep(parseComposeText(readFileSync(COMPOSE_FILE, 'utf8')), env) as Dict;
}

// ------------------------------------------------------------------------------------------------
// Compose: schema
// ------------------------------------------------------------------------------------------------

function loadSchema(): Dict {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
}

function compileComposeSchema() {
  // The vendored schema says "$schema": "https://json-schema.org/draft-07/schema", a spelling
  // Ajv does not register (its draft-07 meta-schema is http://json-schema.org/draft-07/schema#).
  // Drop the pointer and let Ajv's default draft-07 apply; validateSchema below proves it fits.
  // strictTypes is off because the official schema uses union types and untyped oneOf branches;
  // strictSchema stays on, so an unknown keyword or format in a future schema fails loudly.
  const { $schema: _schema, ...schema } = loadSchema();
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  if (!ajv.validateSchema(schema)) {
    throw new Error(`vendored compose schema is not valid draft-07: ${ajv.errorsText(ajv.errors)}`);
  }
  return ajv.compile(schema);
}

function schemaProblems(doc: Dict): string[] {
  const validate = compileComposeSchema();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`,
  );
}

// ------------------------------------------------------------------------------------------------
// Compose: normalisers for the spec's short and long forms
// ------------------------------------------------------------------------------------------------

function envOf(service: Dict): Record<string, string | undefined> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item: string) => {
        const eq = item.indexOf('=');
        return eq < 0 ? [item, undefined] : [item.slice(0, eq), item.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? undefined : String(v as string | number | boolean)]));
}

function buildOf(service: Dict): { context: string; dockerfile: string; args: Record<string, string | undefined> } | undefined {
  const build = service.build;
  if (build === undefined) return undefined;
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile', args: {} };
  const rawArgs = build.args ?? {};
  const args = Array.isArray(rawArgs)
    ? Object.fromEntries(rawArgs.map((a: string) => (a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined])))
    : Object.fromEntries(Object.entries(rawArgs).map(([k, v]) => [k, v === null ? undefined : String(v as string | number | boolean)]));
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile', args };
}

function dependsOn(service: Dict): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  // The short (list) form means service_started.
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d: string) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, (v as Dict)?.condition ?? 'service_started']));
}

interface PortMapping {
  hostIp?: string;
  published: number[];
  target: number;
}

function expandRange(spec: string): number[] {
  const [a, b] = spec.split('-').map(Number);
  if (b === undefined) return [a];
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function portsOf(service: Dict): PortMapping[] {
  return (service.ports ?? []).map((p: unknown) => {
    if (typeof p === 'object' && p !== null) {
      const long = p as Dict;
      return { hostIp: long.host_ip, published: long.published ? expandRange(String(long.published)) : [], target: Number(long.target) };
    }
    const parts = String(p).replace(/\/(tcp|udp|sctp)$/, '').split(':');
    const target = Number(parts.pop());
    const host = parts.pop();
    const hostIp = parts.length ? parts.join(':') : undefined;
    return { hostIp, published: host ? expandRange(host) : [], target };
  });
}

function healthcheckCommand(service: Dict): string | undefined {
  const hc = service.healthcheck;
  if (!hc || hc.disable === true || !hc.test) return undefined;
  const test = Array.isArray(hc.test) ? hc.test : ['CMD-SHELL', hc.test];
  if (test[0] === 'NONE') return undefined;
  return test.slice(1).join(' ');
}

const isDockerfileBuild = (service: Dict): boolean => {
  const build = buildOf(service);
  return !!build && posix.normalize(posix.join(build.context, build.dockerfile)) === DOCKERFILE_IN_CONTEXT;
};

// ------------------------------------------------------------------------------------------------
// Compose: the project's rules
// ------------------------------------------------------------------------------------------------

/** Every application service: built from deploy/Dockerfile with its name, healthy-gated, checked. */
function applicationServiceProblems(doc: Dict, name: string): string[] {
  const problems: string[] = [];
  const service = doc.services?.[name];
  if (!service) return [`${name}: no compose service of that name`];
  const build = buildOf(service);
  if (!build) problems.push(`${name}: has no build section`);
  else {
    if (posix.normalize(build.context) !== '.') problems.push(`${name}: build context is ${build.context}, expected the repository root "."`);
    if (posix.normalize(posix.join(build.context, build.dockerfile)) !== DOCKERFILE_IN_CONTEXT)
      problems.push(`${name}: built from ${build.dockerfile}, expected ${DOCKERFILE_IN_CONTEXT}`);
    if (build.args.SERVICE !== name) problems.push(`${name}: build arg SERVICE is ${JSON.stringify(build.args.SERVICE)}, expected "${name}"`);
  }
  const probe = healthcheckCommand(service);
  if (!probe) problems.push(`${name}: has no healthcheck`);
  else if (!probe.includes('/health/live')) problems.push(`${name}: healthcheck does not probe /health/live`);
  const deps = dependsOn(service);
  for (const infra of INFRASTRUCTURE) {
    if (deps[infra] !== 'service_healthy')
      problems.push(`${name}: depends_on ${infra} is ${deps[infra] ? `"${deps[infra]}"` : 'missing'}, expected condition service_healthy`);
  }
  if (service.restart !== 'unless-stopped') problems.push(`${name}: restart is ${JSON.stringify(service.restart)}, expected "unless-stopped"`);
  return problems;
}

function environmentProblems(doc: Dict, name: string): string[] {
  const problems: string[] = [];
  const service = doc.services?.[name];
  if (!service) return [`${name}: no compose service of that name`];
  const env = envOf(service);
  for (const key of SHARED_ENV) if (!(key in env)) problems.push(`${name}: environment lacks ${key}`);

  const port = Number(env.PORT);
  if (!Number.isInteger(port)) problems.push(`${name}: PORT ${JSON.stringify(env.PORT)} is not a port number`);
  else if (!portsOf(service).some((p) => p.target === port)) problems.push(`${name}: PORT ${port} is not published`);

  const kafkaEnv = envOf(doc.services?.kafka ?? {});
  const advertised = (kafkaEnv.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((l) => l.replace(/^[A-Z_]+:\/\//, ''));
  for (const broker of (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
    if (!advertised.includes(broker)) problems.push(`${name}: KAFKA_BROKERS entry ${broker} is not an advertised Kafka listener (${advertised.join(', ')})`);
  }

  try {
    const db = new URL(env.DATABASE_URL ?? '');
    const pg = envOf(doc.services?.postgres ?? {});
    if (!/^postgres(ql)?:$/.test(db.protocol)) problems.push(`${name}: DATABASE_URL is not postgres://`);
    if (db.hostname !== 'postgres') problems.push(`${name}: DATABASE_URL host ${db.hostname} is not the postgres service`);
    if (db.pathname.slice(1) !== pg.POSTGRES_DB) problems.push(`${name}: DATABASE_URL database ${db.pathname.slice(1)} is not POSTGRES_DB ${pg.POSTGRES_DB}`);
    if (decodeURIComponent(db.username) !== pg.POSTGRES_USER) problems.push(`${name}: DATABASE_URL user is not POSTGRES_USER`);
    if (decodeURIComponent(db.password) !== pg.POSTGRES_PASSWORD) problems.push(`${name}: DATABASE_URL password is not POSTGRES_PASSWORD`);
  } catch {
    problems.push(`${name}: DATABASE_URL ${JSON.stringify(env.DATABASE_URL)} is not a URL`);
  }

  try {
    const redis = new URL(env.REDIS_URL ?? '');
    if (redis.protocol !== 'redis:' || redis.hostname !== 'redis') problems.push(`${name}: REDIS_URL does not point at redis://redis`);
  } catch {
    problems.push(`${name}: REDIS_URL ${JSON.stringify(env.REDIS_URL)} is not a URL`);
  }

  if (env.LIVEPROMO_MODE !== undefined && env.LIVEPROMO_MODE !== 'distributed') problems.push(`${name}: LIVEPROMO_MODE is ${env.LIVEPROMO_MODE}; under compose it must be distributed`);
  if (!LOG_LEVELS.includes(env.LOG_LEVEL ?? '')) problems.push(`${name}: LOG_LEVEL ${JSON.stringify(env.LOG_LEVEL)} is not one of ${LOG_LEVELS.join('|')}`);
  return problems;
}

function serviceDirectories(): string[] {
  const dir = join(ROOT, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith('.') && statSync(join(dir, entry)).isDirectory())
    .sort();
}

// ------------------------------------------------------------------------------------------------
// Dockerfile: a small line parser
// ------------------------------------------------------------------------------------------------

interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

interface Stage {
  index: number;
  name?: string;
  base: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { globalArgs: Record<string, string | undefined>; stages: Stage[]; problems: string[] } {
  const problems: string[] = [];
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let pending: { line: number; text: string } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comments and blank lines are dropped, also inside a continued instruction (as BuildKit does).
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continued = /\\$/.test(trimmed);
    const piece = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending ? { line: pending.line, text: `${pending.text} ${piece}` } : { line: i + 1, text: piece };
    if (!continued) {
      const m = /^([A-Za-z]+)\s*([\s\S]*)$/.exec(pending.text.trim());
      if (!m) problems.push(`line ${pending.line}: cannot parse ${JSON.stringify(pending.text)}`);
      else instructions.push({ line: pending.line, keyword: m[1].toUpperCase(), args: m[2].trim() });
      pending = undefined;
    }
  });
  if (pending) problems.push(`line ${pending.line}: instruction ends with a line continuation`);

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) {
        problems.push(`line ${ins.line}: cannot parse FROM ${ins.args}`);
        continue;
      }
      stages.push({ index: stages.length, base: m[1], name: m[2]?.toLowerCase(), instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') problems.push(`line ${ins.line}: ${ins.keyword} before the first FROM (only ARG may come first)`);
      else for (const [k, v] of argDeclarations(ins.args)) globalArgs[k] = v;
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  if (stages.length === 0) problems.push('no FROM instruction');
  return { globalArgs, stages, problems };
}

function argDeclarations(args: string): [string, string | undefined][] {
  return args.split(/\s+/).filter(Boolean).map((decl) => {
    const eq = decl.indexOf('=');
    return eq < 0 ? [decl, undefined] : [decl.slice(0, eq), decl.slice(eq + 1).replace(/^"(.*)"$/, '$1')];
  });
}

function resolveArgs(text: string, args: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, d, b) => args[a ?? b] ?? d ?? '');
}

/** COPY/ADD: flags, then sources, then destination; JSON (exec) form or whitespace separated. */
function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest)) {
    flags[m[1]] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  const parts: string[] = rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/).filter(Boolean);
  return { flags, sources: parts.slice(0, -1), dest: parts[parts.length - 1] };
}

// ------------------------------------------------------------------------------------------------
// .dockerignore (Docker's rules: Go filepath.Match plus `**`, `!` re-includes, last match wins,
// a path is excluded when it or one of its parent directories matches)
// ------------------------------------------------------------------------------------------------

function dockerignorePatterns(text: string): { negate: boolean; re: RegExp; pattern: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((raw) => {
      const negate = raw.startsWith('!');
      const pattern = posix.normalize((negate ? raw.slice(1) : raw).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
      let re = '';
      for (let i = 0; i < pattern.length; i += 1) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
          // `**/` matches zero or more directories, a trailing `**` anything.
          if (pattern[i + 2] === '/') {
            re += '(?:.*/)?';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}$`), pattern };
    });
}

function isIgnored(path: string, patterns: ReturnType<typeof dockerignorePatterns>): string | undefined {
  const clean = posix.normalize(path).replace(/^\.\/?/, '').replace(/\/+$/, '');
  const candidates = clean.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let by: string | undefined;
  for (const p of patterns) {
    if (candidates.some((c) => p.re.test(c))) by = p.negate ? undefined : p.pattern;
  }
  return by;
}

// ------------------------------------------------------------------------------------------------
// Dockerfile: the project's rules
// ------------------------------------------------------------------------------------------------

interface DockerfileContext {
  /** does this path exist relative to the build context (the repository root)? */
  exists: (path: string) => boolean;
  ignoredBy: (path: string) => string | undefined;
  npmScripts: Record<string, string>;
}

const repoContext = (): DockerfileContext => {
  const patterns = existsSync(DOCKERIGNORE) ? dockerignorePatterns(readFileSync(DOCKERIGNORE, 'utf8')) : [];
  return {
    exists: (p) => existsSync(join(ROOT, p)),
    ignoredBy: (p) => isIgnored(p, patterns),
    npmScripts: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {},
  };
};

function dockerfileStructureProblems(text: string): string[] {
  const { globalArgs, stages, problems } = parseDockerfile(text);
  if (problems.length) return problems;
  if (stages.length < 2) problems.push(`expected a multi-stage build, found ${stages.length} stage(s)`);
  const names = new Set<string>();
  for (const stage of stages) {
    if (!stage.name) problems.push(`stage ${stage.index} (FROM ${stage.base}) has no AS name`);
    else if (names.has(stage.name)) problems.push(`stage name ${stage.name} is used twice`);
    else names.add(stage.name);
  }
  const final = stages[stages.length - 1];
  const finalBase = resolveArgs(final.base, globalArgs);
  if (!/^node:20(-bookworm)?-slim$/.test(finalBase)) problems.push(`runtime stage is FROM ${finalBase}, expected node:20-slim`);

  const of = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);
  // ARG scope is per stage: a global ARG must be re-declared after FROM to be visible.
  if (!of('ARG').some((i) => argDeclarations(i.args).some(([k]) => k === 'SERVICE'))) problems.push('runtime stage does not declare ARG SERVICE');

  const users = of('USER');
  const user = users.length ? users[users.length - 1].args.split(':')[0] : undefined;
  if (!user) problems.push('runtime stage has no USER (it would run as root)');
  else if (user === 'root' || user === '0') problems.push(`runtime stage runs as ${user}`);

  const healthchecks = of('HEALTHCHECK');
  if (!healthchecks.length) problems.push('runtime stage has no HEALTHCHECK');
  else {
    const hc = healthchecks[healthchecks.length - 1].args;
    if (/^NONE$/i.test(hc)) problems.push('runtime stage disables HEALTHCHECK');
    if (!hc.includes('/health/live')) problems.push('HEALTHCHECK does not probe /health/live');
    if (/\b(curl|wget)\b/.test(hc)) problems.push('HEALTHCHECK uses curl/wget, which node:20-slim lacks');
  }

  const cmds = of('CMD');
  const cmd = cmds.length ? cmds[cmds.length - 1].args : '';
  if (!/node\s+(\S+\s+)*dist\/services\/\$\{?SERVICE\}?\/src\/main\.js/.test(cmd)) problems.push(`CMD ${JSON.stringify(cmd)} does not run node dist/services/\${SERVICE}/src/main.js`);

  // Builder work: npm ci, npm run build, ONNXRUNTIME_NODE_INSTALL=skip wherever npm ci runs.
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => ({ stage: s, i })));
  if (!runs.some(({ i }) => /\bnpm ci\b(?!.*--omit=dev)/.test(i.args))) problems.push('no stage runs a full `npm ci`');
  if (!runs.some(({ i }) => /\bnpm run build\b/.test(i.args))) problems.push('no stage runs `npm run build`');
  for (const { stage, i } of runs.filter(({ i }) => /\bnpm (ci|install)\b/.test(i.args))) {
    const skip = stage.instructions.some((x) => x.line < i.line && x.keyword === 'ENV' && /\bONNXRUNTIME_NODE_INSTALL=skip\b/.test(x.args));
    if (!skip && !/ONNXRUNTIME_NODE_INSTALL=skip/.test(i.args)) problems.push(`line ${i.line}: npm install in stage ${stage.name} without ONNXRUNTIME_NODE_INSTALL=skip`);
  }
  return problems;
}

function dockerfileCopyProblems(text: string, ctx: DockerfileContext): string[] {
  const { globalArgs, stages, problems } = parseDockerfile(text);
  if (problems.length) return problems;
  const fromContext: string[] = [];
  stages.forEach((stage) => {
    const args: Record<string, string | undefined> = { ...globalArgs };
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ARG') for (const [k, v] of argDeclarations(ins.args)) args[k] = v ?? args[k];
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      const { flags, sources } = parseCopy(ins.args);
      if (flags.from) {
        const from = flags.from.toLowerCase();
        const earlier = stages.slice(0, stage.index).some((s) => s.name === from || String(s.index) === from);
        if (!earlier) problems.push(`line ${ins.line}: COPY --from=${flags.from} names no earlier stage`);
        continue;
      }
      for (const src of sources) {
        if (/^https?:\/\//.test(src) || /^git@/.test(src)) continue;
        const path = resolveArgs(src, args);
        if (path.startsWith('/') || posix.normalize(path).startsWith('..')) {
          problems.push(`line ${ins.line}: COPY source ${src} is outside the build context`);
          continue;
        }
        if (/[*?[]/.test(path)) {
          problems.push(`line ${ins.line}: COPY source ${src} is a wildcard; name the files so they can be checked`);
          continue;
        }
        fromContext.push(path);
        if (!ctx.exists(path)) problems.push(`line ${ins.line}: COPY source ${path} does not exist in the repository`);
        const ignoredBy = ctx.ignoredBy(path);
        if (ignoredBy) problems.push(`line ${ins.line}: COPY source ${path} is excluded by .dockerignore pattern ${ignoredBy}`);
      }
    }
  });
  // The build needs the whole workspace source and lockfile.
  for (const needed of ['package.json', 'package-lock.json', 'libs', 'services']) {
    if (!fromContext.some((p) => posix.normalize(p).replace(/\/$/, '') === needed)) problems.push(`no stage COPYs ${needed} from the build context`);
  }
  return problems;
}

/** Every script in `npm run X ...` chains, starting from a command line. */
function npmScriptsRunBy(command: string, scripts: Record<string, string>, seen = new Set<string>()): string[] {
  const names = [...command.matchAll(/\bnpm run(?:-script)?\s+([\w:.-]+)/g)].map((m) => m[1]);
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (scripts[name]) npmScriptsRunBy(scripts[name], scripts, seen);
  }
  return [...seen];
}

/**
 * `npm run` in the Dockerfile names scripts package.json defines, and every repository path those
 * scripts mention (e.g. `swc libs services`, `node tools/x.js`) was COPYed into that stage first.
 */
function dockerfileNpmScriptProblems(text: string, ctx: DockerfileContext): string[] {
  const { stages, problems } = parseDockerfile(text);
  if (problems.length) return problems;
  for (const stage of stages) {
    const copied: string[] = [];
    for (const ins of stage.instructions) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const { flags, sources } = parseCopy(ins.args);
        if (!flags.from) copied.push(...sources.map((src) => posix.normalize(src).replace(/\/$/, '')));
      }
      if (ins.keyword !== 'RUN') continue;
      for (const name of npmScriptsRunBy(ins.args, ctx.npmScripts)) {
        const script = ctx.npmScripts[name];
        if (!script) {
          problems.push(`line ${ins.line}: runs \`npm run ${name}\` but package.json defines no "${name}" script`);
          continue;
        }
        const mentioned = script
          .split(/[\s"'=,;&|()]+/)
          .map((t) => posix.normalize(t.replace(/^\.\//, '')).replace(/\/$/, ''))
          .filter((t) => t && t !== '.' && !t.startsWith('-') && !t.startsWith('..') && !t.startsWith('/') && !/^(dist|node_modules)(\/|$)/.test(t) && ctx.exists(t));
        for (const path of mentioned) {
          const covered = copied.some((c) => c === '.' || path === c || path.startsWith(`${c}/`));
          if (!covered) problems.push(`line ${ins.line}: script "${name}" uses ${path}, which stage ${stage.name} did not COPY before running it`);
        }
      }
    }
  }
  return problems;
}

// ================================================================================================
// Tests
// ================================================================================================

describe('docker-compose.yml', () => {
  const doc = loadCompose();
  const services: Dict = doc.services ?? {};
  const appServices = Object.keys(services).filter((n) => isDockerfileBuild(services[n]));

  it('is valid against the official Compose Specification schema once anchors and ${VAR} defaults are resolved', () => {
    expect(schemaProblems(doc)).toEqual([]);
    // also as written, before interpolation (what an editor's schema check sees)
    expect(schemaProblems(parseComposeText(readFileSync(COMPOSE_FILE, 'utf8')))).toEqual([]);
  });

  it('refuses to start without OPERATOR_TOKEN, so ingestion never runs with an empty admin token', () => {
    expect(() => loadCompose({})).toThrow(MissingVariableError);
    expect(() => loadCompose({ OPERATOR_TOKEN: '' })).toThrow(/OPERATOR_TOKEN/);
    expect(envOf(services.ingestion ?? {}).OPERATOR_TOKEN).toBe(TEST_ENV.OPERATOR_TOKEN);
    // ingestion's distributed mode refuses to start without SECRET_ENCRYPTION_KEY too (issue #18 safe defaults)
    expect(() => loadCompose({ OPERATOR_TOKEN: 'test-operator-token' })).toThrow(/SECRET_ENCRYPTION_KEY/);
    expect(envOf(services.ingestion ?? {}).SECRET_ENCRYPTION_KEY).toBe(TEST_ENV.SECRET_ENCRYPTION_KEY);
  });

  it('every service directory has a healthy-gated compose service built from deploy/Dockerfile', () => {
    const problems = serviceDirectories().flatMap((dir) => applicationServiceProblems(doc, dir));
    expect(problems).toEqual([]);
  });

  it('defines exactly the seven application services, each published on its own port 3001-3007', () => {
    expect(appServices.sort()).toEqual(Object.keys(EXPECTED_SERVICES).sort());
    const problems = Object.entries(EXPECTED_SERVICES).flatMap(([name, port]) => {
      const service = services[name];
      if (!service) return [`${name}: missing`];
      const out = applicationServiceProblems(doc, name);
      if (envOf(service).PORT !== String(port)) out.push(`${name}: PORT is ${envOf(service).PORT}, expected ${port}`);
      if (!portsOf(service).some((p) => p.target === port && p.published.includes(port))) out.push(`${name}: does not publish ${port}:${port} by default`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('runs the operator console gateway from the ingestion image, after every service, knowing each one\'s address', () => {
    const consoleSvc = services.console as Dict;
    expect(consoleSvc).toBeDefined();
    expect(isDockerfileBuild(consoleSvc)).toBe(false); // not an eighth service: same image, other command
    expect(consoleSvc.image).toBe((services.ingestion as Dict).image);
    const cmd = (consoleSvc.command as string[]).join(' ');
    const entry = /dist\/(\S+)\.js/.exec(cmd)?.[1];
    expect(entry && existsSync(join(ROOT, `${entry}.ts`))).toBe(true); // dist/x.js is built from x.ts
    const deps = dependsOn(consoleSvc);
    for (const name of Object.keys(EXPECTED_SERVICES)) expect([name, deps[name]]).toEqual([name, 'service_healthy']);
    const env = envOf(consoleSvc);
    const urls = Object.fromEntries((env.LIVEPROMO_SERVICE_URLS ?? '').split(',').map((kv: string) => kv.split('=')));
    expect(Object.keys(urls).sort()).toEqual(Object.keys(EXPECTED_SERVICES).sort());
    for (const [name, port] of Object.entries(EXPECTED_SERVICES)) expect(urls[name]).toBe(`http://${name}:${port}`);
    expect(healthcheckCommand(consoleSvc)).toContain('/health/live');
    expect(portsOf(consoleSvc).some((p) => p.target === Number(env.GATEWAY_PORT) && p.target === Number(env.PORT))).toBe(true);
  });

  it('builds each application service from source that exists: services/<SERVICE>/src/main.ts', () => {
    const missing = appServices
      .map((name) => buildOf(services[name])!.args.SERVICE ?? '(no SERVICE arg)')
      .filter((svc) => !existsSync(join(ROOT, 'services', svc, 'src', 'main.ts')))
      .map((svc) => `services/${svc}/src/main.ts`);
    expect(missing).toEqual([]);
  });

  it('gives every application service the shared environment, pointing at the compose infrastructure', () => {
    expect(appServices.flatMap((name) => environmentProblems(doc, name))).toEqual([]);
  });

  it('gives inference a MODEL_DIR backed by a volume', () => {
    const inference = services.inference ?? {};
    const modelDir = envOf(inference).MODEL_DIR;
    expect(modelDir).toBe('/app/models');
    const mounts = (inference.volumes ?? []).map((v: unknown) => (typeof v === 'string' ? v.split(':')[1] : (v as Dict).target));
    expect(mounts).toContain(modelDir);
  });

  it('runs Kafka 3.9.1 in KRaft mode, Postgres 16 and Redis 7, each with a healthcheck that asks the server', () => {
    const kafka = services.kafka ?? {};
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    const kafkaEnv = envOf(kafka);
    expect(kafkaEnv.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(kafkaEnv.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(new RegExp(`^${kafkaEnv.KAFKA_NODE_ID}@kafka:\\d+$`));
    expect(Object.keys(kafkaEnv).filter((k) => /ZOOKEEPER/.test(k))).toEqual([]);
    expect(healthcheckCommand(kafka)).toMatch(/\/opt\/kafka\/bin\/(kafka-broker-api-versions\.sh|kafka-topics\.sh .*--list)/);

    const postgres = services.postgres ?? {};
    expect(postgres.image).toMatch(/^postgres:16(\b|$)/);
    expect(envOf(postgres)).toMatchObject({ POSTGRES_DB: 'livepromo', POSTGRES_USER: 'livepromo' });
    expect(envOf(postgres).POSTGRES_PASSWORD).toBeTruthy();
    expect(healthcheckCommand(postgres)).toMatch(/\bpg_isready\b/);

    const redis = services.redis ?? {};
    expect(redis.image).toMatch(/^redis:7(\b|$)/);
    expect(healthcheckCommand(redis)).toMatch(/\bredis-cli\b.*\bping\b/);
  });

  it('takes the Postgres password from the environment, with a default', () => {
    const withDefault = loadCompose(TEST_ENV);
    const overridden = loadCompose({ ...TEST_ENV, POSTGRES_PASSWORD: 's3cret' });
    expect(envOf(withDefault.services.postgres).POSTGRES_PASSWORD).toBeTruthy();
    expect(envOf(overridden.services.postgres).POSTGRES_PASSWORD).toBe('s3cret');
    // and every service follows it (checked by environmentProblems: URL password == POSTGRES_PASSWORD)
    expect(appServices.flatMap((name) => environmentProblems(overridden, name))).toEqual([]);
  });

  it('gates only on services that exist and have a healthcheck, so service_healthy can be met', () => {
    const problems = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(dependsOn(service as Dict)).flatMap(([dep, condition]) => {
        if (!services[dep]) return [`${name} depends on unknown service ${dep}`];
        if (condition === 'service_healthy' && !healthcheckCommand(services[dep])) return [`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`];
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('publishes no host port twice', () => {
    const seen = new Map<number, string>();
    const clashes: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const port of portsOf(service as Dict).flatMap((p) => p.published)) {
        if (seen.has(port)) clashes.push(`${port}: ${seen.get(port)} and ${name}`);
        seen.set(port, name);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('lets a scaled service take a host port range instead of its fixed port', () => {
    const scaled = loadCompose({ ...TEST_ENV, CLEANING_HOST_PORT: '3102-3104' });
    expect(schemaProblems(scaled)).toEqual([]);
    expect(portsOf(scaled.services.cleaning)).toEqual([{ hostIp: undefined, published: [3102, 3103, 3104], target: 3002 }]);
  });
});

describe('deploy/Dockerfile', () => {
  const text = readFileSync(DOCKERFILE, 'utf8');

  it('parses into named stages: a builder, then a node:20-slim runtime that takes ARG SERVICE, runs as non-root and has a HEALTHCHECK', () => {
    expect(dockerfileStructureProblems(text)).toEqual([]);
    const { stages } = parseDockerfile(text);
    expect(stages.map((s) => s.name)).toContain('builder');
  });

  it('copies only files that exist in the repository and are not excluded by .dockerignore', () => {
    expect(dockerfileCopyProblems(text, repoContext())).toEqual([]);
  });

  it('runs only npm scripts that package.json defines, after copying every path they use', () => {
    expect(dockerfileNpmScriptProblems(text, repoContext())).toEqual([]);
  });
});

describe('the checks themselves catch broken inputs', () => {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  const composeText = readFileSync(COMPOSE_FILE, 'utf8');

  it('the schema rejects a misspelled service key and a wrong value type', () => {
    const doc = loadCompose();
    const broken = JSON.parse(JSON.stringify(doc));
    broken.services.cleaning.depends_onn = broken.services.cleaning.depends_on;
    broken.services.roi.healthcheck.interval = 10; // durations are strings ("10s")
    const problems = schemaProblems(broken);
    expect(problems.some((p) => p.startsWith('/services/cleaning') && p.includes('depends_onn'))).toBe(true);
    expect(problems.some((p) => p.startsWith('/services/roi/healthcheck/interval'))).toBe(true);
  });

  it('flags a service that is not healthy-gated, has no healthcheck or builds the wrong SERVICE', () => {
    const broken = loadCompose();
    broken.services.roi.depends_on = ['kafka', 'postgres', 'redis'];
    delete broken.services.cleaning.healthcheck;
    broken.services.inference.build.args.SERVICE = 'ingestion';
    expect(applicationServiceProblems(broken, 'roi')).toEqual(expect.arrayContaining([expect.stringContaining('depends_on kafka is "service_started"')]));
    expect(applicationServiceProblems(broken, 'cleaning')).toEqual(['cleaning: has no healthcheck']);
    expect(applicationServiceProblems(broken, 'inference')).toEqual([expect.stringContaining('build arg SERVICE is "ingestion"')]);
    expect(applicationServiceProblems(broken, 'no-such-service')).toEqual(['no-such-service: no compose service of that name']);
  });

  it('flags a DATABASE_URL that disagrees with the postgres service', () => {
    const broken = loadCompose();
    broken.services.roi.environment.DATABASE_URL = 'postgres://livepromo:wrong@db:5432/other';
    expect(environmentProblems(broken, 'roi')).toEqual([
      expect.stringContaining('host db'),
      expect.stringContaining('database other'),
      expect.stringContaining('password'),
    ]);
  });

  it('interpolates like compose: defaults, required values and $$ escapes', () => {
    expect(interpolate('${A:-x}-${B-y}-$$HOME-${C:+set}', { B: '' }, 't')).toBe('x--$HOME-');
    expect(interpolate('${A:-${B:-deep}}', {}, 't')).toBe('deep');
    expect(() => interpolate('${A:?need A}', {}, 't')).toThrow(MissingVariableError);
    expect(() => interpolate('cost $5', {}, 't')).toThrow(/invalid "\$"/);
    expect(parseComposeText(composeText)['x-service-env']).toBeDefined();
  });

  it('flags a runtime stage that runs as root, lacks ARG SERVICE or HEALTHCHECK', () => {
    const asRoot = dockerfile.replace(/^USER node$/m, 'USER root');
    expect(dockerfileStructureProblems(asRoot)).toContain('runtime stage runs as root');
    const noUser = dockerfile.replace(/^USER node$/m, '');
    expect(dockerfileStructureProblems(noUser)).toContain('runtime stage has no USER (it would run as root)');
    const noArg = dockerfile.replace(/^ARG SERVICE$/m, '');
    expect(dockerfileStructureProblems(noArg)).toContain('runtime stage does not declare ARG SERVICE');
    const noHealth = dockerfile.replace(/^HEALTHCHECK[\s\S]*?\n(?=\S)/m, '');
    expect(dockerfileStructureProblems(noHealth)).toContain('runtime stage has no HEALTHCHECK');
  });

  it('flags COPY sources that are missing, ignored, or from an unknown stage, and undefined npm scripts', () => {
    const ctx: DockerfileContext = {
      exists: (p) => p !== 'libs',
      ignoredBy: (p) => (p === 'services' ? 'services' : undefined),
      npmScripts: {},
    };
    const broken = dockerfile.replace('--from=prod-deps', '--from=nowhere');
    expect(dockerfileCopyProblems(broken, ctx)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/COPY source libs does not exist/),
        expect.stringMatching(/COPY source services is excluded by \.dockerignore pattern services/),
        expect.stringMatching(/COPY --from=nowhere names no earlier stage/),
      ]),
    );
    expect(dockerfileNpmScriptProblems(dockerfile, ctx)).toEqual([expect.stringMatching(/`npm run build` but package.json defines no "build" script/)]);
    const withScripts: DockerfileContext = {
      ...ctx,
      exists: (p) => ['libs', 'services', 'tools/build.js', 'scripts/gen.js', '.swcrc'].includes(p),
      npmScripts: { build: 'swc libs services -d dist --config-file .swcrc && npm run gen', gen: 'node ./scripts/gen.js' },
    };
    expect(dockerfileNpmScriptProblems(dockerfile, withScripts)).toEqual([expect.stringMatching(/script "gen" uses scripts\/gen\.js, which stage builder did not COPY/)]);
  });

  it('matches .dockerignore patterns the way Docker does', () => {
    const patterns = dockerignorePatterns('**/node_modules\ndist\n*.log\n!keep.log\n# comment\n/tmp/\n');
    expect(isIgnored('libs/a/node_modules/x.js', patterns)).toBe('**/node_modules');
    expect(isIgnored('node_modules', patterns)).toBe('**/node_modules');
    expect(isIgnored('dist/services/a/src/main.js', patterns)).toBe('dist');
    expect(isIgnored('error.log', patterns)).toBe('*.log');
    expect(isIgnored('keep.log', patterns)).toBeUndefined();
    expect(isIgnored('tmp', patterns)).toBe('tmp');
    expect(isIgnored('libs/dist-utils/index.ts', patterns)).toBeUndefined();
    expect(isIgnored('services/x/debug.log', patterns)).toBeUndefined();
  });
});
