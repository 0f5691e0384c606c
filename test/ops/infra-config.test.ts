/**
 * No Docker engine, Kubernetes or Grafana runs here, so the deployment files are checked with the
 * real tools that do run: docker-compose (parses and validates the compose file), nginx -t,
 * promtool (config, rules and rule unit tests), plus cross-checks that every file, service, port
 * and variable one file names exists in the others and in the apps' own env schemas.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { parseEnv } from '@shortlist/config';
import { REPO_ROOT } from '@shortlist/testkit';
import { AutoscalerEnv } from '../../apps/autoscaler/src/env';
import { EmailWorkerEnv } from '../../apps/email-worker/src/env';
import { GatewayEnv } from '../../apps/gateway/src/env';
import { ResumeWorkerEnv } from '../../apps/resume-worker/src/env';
import { NGINX_CONF, renderNginxConfig, testNginxConfig } from '../../bench/lib/topology';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
  container_name?: string;
  profiles?: string[];
  depends_on?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
}

function tool(command: string, install: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0)
    throw new Error(
      `${command} is not installed: apt-get install -y ${install} (npm test installs it)`,
    );
  return found.stdout.trim();
}

function run(command: string, args: string[], cwd = REPO_ROOT) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `${VAR:-default}` -> default, as compose does with an empty environment. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(?::?-([^}]*))?\}/g, (_m, _name, fallback = '') => fallback);
}

const seconds = (duration: string) => {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unreadable duration ${duration}`);
  return Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1);
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'infra-config-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('is a valid compose file for docker-compose (interpolation, merges, schema)', async () => {
    const docker = tool('docker-compose', 'docker-compose');
    // Debian's docker-compose (1.29) predates the top-level `name`; it gets the same name as -p.
    const source = read('docker-compose.yml');
    expect(source).toMatch(/^name: shortlist$/m);
    const copy = join(REPO_ROOT, `.compose-check-${process.pid}.yml`);
    await writeFile(copy, source.replace(/^name: shortlist$/m, ''));
    try {
      const result = run(docker, [
        '--file',
        copy,
        '--project-name',
        'shortlist',
        '--profile',
        'autoscale',
        'config',
        '--quiet',
      ]);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await rm(copy, { force: true });
    }
    // The autoscaler scales this very project.
    expect(compose.services.autoscaler!.environment!.COMPOSE_PROJECT_NAME).toBe('shortlist');
  });

  it('runs Redis without eviction and with an append-only file', () => {
    const redis = compose.services.redis!;
    expect(redis.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(redis.volumes).toContain('redis:/data');
  });

  it('has the services of the scaled-out stack, each restarting and health-checked', () => {
    const names = Object.keys(compose.services);
    for (const needed of [
      'redis',
      'gateway',
      'resume-worker',
      'email-worker',
      'nginx',
      'prometheus',
      'grafana',
      'minio',
      'mailpit',
    ])
      expect(names).toContain(needed);
    const oneShot = ['minio-init'];
    // The exporters' images have no shell or HTTP client to probe with; Prometheus' `up` covers them.
    const exporters = ['redis-exporter', 'nginx-exporter'];
    for (const [name, service] of Object.entries(compose.services)) {
      if (oneShot.includes(name)) continue;
      expect([name, service.restart]).toEqual([name, 'unless-stopped']);
      if (!exporters.includes(name))
        expect([name, service.healthcheck?.test.length]).toEqual([name, expect.any(Number)]);
    }
  });

  it('lets `--scale resume-worker=8` work: no fixed names or host ports on scaled services', () => {
    for (const name of ['gateway', 'resume-worker', 'email-worker']) {
      const service = compose.services[name]!;
      expect(service.container_name).toBeUndefined();
      expect(service.ports).toBeUndefined();
    }
    expect(compose.services.gateway!.deploy?.replicas).toBe(2);
  });

  it('gives each app a stop_grace_period covering its graceful shutdown', () => {
    // The gateway drains in-flight requests within its shutdown deadline (SHUTDOWN_GRACE_MS
    // where the gateway has it, else createShutdown's 25 s).
    const gateway = compose.services.gateway!;
    const gatewayEnv = parseEnv(GatewayEnv, {}) as { SHUTDOWN_GRACE_MS?: number };
    expect(seconds(gateway.stop_grace_period!)).toBeGreaterThanOrEqual(
      (gatewayEnv.SHUTDOWN_GRACE_MS ?? 25_000) / 1000,
    );
    for (const name of ['resume-worker', 'email-worker']) {
      const service = compose.services[name]!;
      // The worker's own deadline is SHUTDOWN_GRACE_MS + 5 s (createShutdown in main.ts).
      expect(seconds(service.stop_grace_period!)).toBeGreaterThanOrEqual(
        Number(service.environment!.SHUTDOWN_GRACE_MS) / 1000 + 5,
      );
    }
  });

  it('sets only variables the apps know, with values their env schemas accept', () => {
    const schemas = {
      gateway: GatewayEnv,
      'resume-worker': ResumeWorkerEnv,
      'email-worker': EmailWorkerEnv,
      autoscaler: AutoscalerEnv,
    } as const;
    for (const [name, schema] of Object.entries(schemas)) {
      const env = Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([k, v]) => [
          k,
          interpolate(String(v)),
        ]),
      );
      const unknown = Object.keys(env).filter((key) => !(key in schema.shape));
      expect([name, unknown]).toEqual([name, []]);
      expect(() => parseEnv(schema, env)).not.toThrow();
    }
  });

  it('names only files that exist: Dockerfiles, build contexts and bind mounts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        expect([
          name,
          existsSync(join(REPO_ROOT, service.build.context, service.build.dockerfile)),
        ]).toEqual([name, true]);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./') || source.startsWith('/var/run/')) {
          if (source.startsWith('./'))
            expect([name, source, existsSync(join(REPO_ROOT, source))]).toEqual([
              name,
              source,
              true,
            ]);
        } else {
          expect(Object.keys(compose.volumes)).toContain(source);
        }
      }
    }
  });
});

describe('Dockerfiles (infra/docker)', () => {
  const dir = join(REPO_ROOT, 'infra', 'docker');
  const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'));
  const workspace = new Map<string, string>();
  for (const group of ['apps', 'packages'])
    for (const entry of readdirSync(join(REPO_ROOT, group))) {
      const manifest = join(REPO_ROOT, group, entry, 'package.json');
      if (existsSync(manifest))
        workspace.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(group, entry));
    }

  it.each(files)('%s is multi-stage, non-root, and copies only paths that exist', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    for (const m of text.matchAll(/^COPY (?!--from)(?:--\S+ )*(\S+) \S+$/gm))
      expect([m[1], existsSync(join(REPO_ROOT, m[1]!))]).toEqual([m[1], true]);
    for (const m of text.matchAll(/--filter "?(@shortlist\/[a-z-]+)/g))
      expect(workspace.has(m[1]!)).toBe(true);
    const finalStage = text.slice(text.lastIndexOf('\nFROM '));
    if (file !== 'nginx.Dockerfile') {
      expect(finalStage).toMatch(/^USER node$/m);
      const app = /--filter @shortlist\/([a-z-]+) deploy/.exec(text)![1]!;
      expect(existsSync(join(REPO_ROOT, 'apps', app, 'src', 'main.ts'))).toBe(true);
      expect(finalStage).toContain('CMD ["node", "--import", "tsx", "src/main.ts"]');
    } else {
      // nginx-unprivileged runs as uid 101 on port 8080.
      expect(finalStage).toMatch(/FROM nginxinc\/nginx-unprivileged:/);
    }
  });

  it('every app declares what its code imports, so `pnpm deploy --prod` ships it', () => {
    const missing: string[] = [];
    const visit = (pkg: string, seen: Set<string>) => {
      if (seen.has(pkg)) return;
      seen.add(pkg);
      const folder = join(REPO_ROOT, workspace.get(pkg)!);
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      const declared = new Set(
        Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }),
      );
      const sources: string[] = [];
      const walk = (d: string) => {
        for (const entry of readdirSync(d)) {
          const path = join(d, entry);
          if (statSync(path).isDirectory()) walk(path);
          else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry)) sources.push(path);
        }
      };
      walk(join(folder, 'src'));
      for (const source of sources) {
        const text = readFileSync(source, 'utf8');
        for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^'.][^']*)'/gm)) {
          const spec = m[1]!;
          if (spec.startsWith('node:')) continue;
          const name = spec.startsWith('@')
            ? spec.split('/').slice(0, 2).join('/')
            : spec.split('/')[0]!;
          if (!declared.has(name))
            missing.push(`${pkg} imports ${name} (${source.slice(REPO_ROOT.length + 1)})`);
        }
      }
      for (const dep of declared) if (workspace.has(dep)) visit(dep, seen);
    };
    for (const app of [
      '@shortlist/gateway',
      '@shortlist/resume-worker',
      '@shortlist/email-worker',
      '@shortlist/autoscaler',
    ])
      visit(app, new Set());
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('nginx/nginx.conf', () => {
  it('passes nginx -t with the compose host names mapped to this machine', async () => {
    const output = await testNginxConfig({
      prefix: join(scratch, 'nginx-t'),
      hosts: { gateway: '127.0.0.1' },
    });
    expect(output).toContain('test is successful');
  });

  it('is run locally with only the marked lines and the upstream servers changed', () => {
    const source = readFileSync(NGINX_CONF, 'utf8');
    const local = renderNginxConfig(source, {
      prefix: '/tmp/x',
      listen: '127.0.0.1:1234',
      gateways: ['127.0.0.1:1', '127.0.0.1:2'],
      webRoot: '/srv/web',
    });
    const changed = local.split('\n').filter((line) => !source.includes(line));
    expect(changed).toEqual([
      'pid /tmp/x/nginx.pid;',
      'error_log /tmp/x/error.log warn;',
      '  client_body_temp_path /tmp/x/client_temp;',
      '  proxy_temp_path /tmp/x/proxy_temp;',
      '  fastcgi_temp_path /tmp/x/fastcgi_temp;',
      '  uwsgi_temp_path /tmp/x/uwsgi_temp;',
      '  scgi_temp_path /tmp/x/scgi_temp;',
      '  access_log /tmp/x/access.log shortlist buffer=64k flush=1s;',
      '    server 127.0.0.1:1 max_fails=2 fail_timeout=5s;',
      '    server 127.0.0.1:2 max_fails=2 fail_timeout=5s;',
      '    listen 127.0.0.1:1234 reuseport backlog=4096;',
      '    root /srv/web;',
    ]);
    // The compose upstream host matches the gateway service and its port.
    expect(source).toMatch(
      new RegExp(`server gateway:${compose.services.gateway!.environment!.PORT} `),
    );
  });
});

describe('Prometheus (infra/prometheus)', () => {
  let promtool: string;
  beforeAll(() => {
    promtool = tool('promtool', 'prometheus');
  });

  it('has a valid config whose targets are the compose services and ports', async () => {
    const config = parse(read('infra/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        dns_sd_configs?: { names: string[]; port: number }[];
        static_configs?: { targets: string[] }[];
      }[];
    };
    // The compose file mounts alerts.yml at the path the config names.
    expect(compose.services.prometheus!.volumes).toContain(
      `./infra/prometheus/alerts.yml:${config.rule_files[0]}:ro`,
    );
    const local = read('infra/prometheus/prometheus.yml').replace(
      config.rule_files[0]!,
      join(REPO_ROOT, 'infra/prometheus/alerts.yml'),
    );
    const file = join(scratch, 'prometheus.yml');
    await writeFile(file, local);
    const result = run(promtool, ['check', 'config', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);

    const portOf = (service: string) => {
      const env = compose.services[service]!.environment ?? {};
      return Number(env.OPS_PORT ?? env.PORT);
    };
    for (const job of config.scrape_configs)
      for (const sd of job.dns_sd_configs ?? [])
        for (const name of sd.names) expect([name, sd.port]).toEqual([name, portOf(name)]);
    for (const job of config.scrape_configs)
      for (const sc of job.static_configs ?? [])
        for (const target of sc.targets) {
          const host = target.split(':')[0]!;
          if (host !== 'localhost') expect(Object.keys(compose.services)).toContain(host);
        }
  });

  it('has valid alert rules that pass their promtool unit tests', () => {
    const check = run(promtool, ['check', 'rules', 'infra/prometheus/alerts.yml']);
    expect(check.output).toContain('SUCCESS');
    const tests = run(
      promtool,
      ['test', 'rules', 'alerts.test.yml'],
      join(REPO_ROOT, 'infra', 'prometheus'),
    );
    expect(tests.output).toContain('SUCCESS');
    expect(tests.code).toBe(0);
    const alerts = (
      parse(read('infra/prometheus/alerts.yml')) as { groups: { rules: { alert: string }[] }[] }
    ).groups.flatMap((g) => g.rules.map((r) => r.alert));
    const tested = read('infra/prometheus/alerts.test.yml');
    for (const needed of [
      'ShortlistApiErrorRate',
      'ShortlistApiLatencyP95',
      'ShortlistQueueAge',
      'ShortlistLlmRateLimited',
      'ShortlistSmtpFailures',
      'ShortlistRedisMemoryHigh',
    ])
      expect(tested).toContain(`alertname: ${needed}`);
    // README "Operations" explains every alert.
    const readme = read('README.md');
    for (const alert of alerts) expect([alert, readme.includes(alert)]).toEqual([alert, true]);
  });

  it('Grafana panels and KEDA triggers are valid PromQL (checked as recording rules)', async () => {
    const dashboard = JSON.parse(read('infra/grafana/dashboards/shortlist.json')) as {
      uid: string;
      panels: {
        type: string;
        title: string;
        datasource?: { uid: string };
        targets?: { expr: string }[];
      }[];
    };
    const datasource = (
      parse(read('infra/grafana/provisioning/datasources/prometheus.yml')) as {
        datasources: { uid: string }[];
      }
    ).datasources[0]!;
    const exprs: string[] = [];
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, datasource.uid]);
      expect(panel.targets!.length).toBeGreaterThan(0);
      exprs.push(...panel.targets!.map((t) => t.expr));
    }
    const keda = parseAllDocuments(read('infra/k8s/keda-scaledobject.yaml')).map((d) =>
      d.toJS(),
    ) as {
      spec: { scaleTargetRef: { name: string }; triggers: { metadata: { query: string } }[] };
    }[];
    for (const object of keda) {
      expect(Object.keys(compose.services)).toContain(object.spec.scaleTargetRef.name);
      exprs.push(...object.spec.triggers.map((t) => t.metadata.query));
    }
    const rules = {
      groups: [{ name: 'panels', rules: exprs.map((expr, i) => ({ record: `panel:${i}`, expr })) }],
    };
    const file = join(scratch, 'panels.rules.yml');
    await writeFile(file, JSON.stringify(rules));
    const result = run(promtool, ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    // Compose provisions the dashboards folder Grafana reads.
    const provider = parse(read('infra/grafana/provisioning/dashboards/shortlist.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(compose.services.grafana!.volumes).toContain(
      `./infra/grafana/dashboards:${provider.providers[0]!.options.path}:ro`,
    );
  });
});

describe('k6 scripts', () => {
  const dir = join(REPO_ROOT, 'k6');
  const scripts = readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'lib.js');

  /** Loads a k6 script as CommonJS with k6's modules stubbed, to read its `options`. */
  function load(file: string): Record<string, unknown> {
    const source = readFileSync(join(dir, file), 'utf8');
    const out = ts.transpileModule(source, {
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2020,
        allowJs: true,
      },
      fileName: file,
    });
    const syntax = ts.createSourceFile(
      file,
      source,
      ts.ScriptTarget.ES2020,
      true,
      ts.ScriptKind.JS,
    );
    expect((syntax as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    const exports: Record<string, unknown> = {};
    // k6 functions do nothing here; k6/metrics classes construct objects whose methods do nothing.
    const noop = function () {
      return { add: () => undefined };
    };
    const stub = new Proxy({}, { get: () => noop });
    runInNewContext(out.outputText, {
      exports,
      module: { exports },
      __ENV: {},
      require: (name: string) => (name.startsWith('./') ? load(join(dirname(file), name)) : stub),
      Math,
      Number,
      JSON,
    });
    return exports;
  }

  it('has the smoke, upload-batch, read-heavy and spike scenarios', () => {
    expect(scripts.sort()).toEqual(['read-heavy.js', 'smoke.js', 'spike.js', 'upload-batch.js']);
  });

  it.each(scripts)('%s parses and sets thresholds on latency and failures', (file) => {
    const exports = load(file);
    expect(typeof exports.default).toBe('function');
    const thresholds = (exports.options as { thresholds: Record<string, string[]> }).thresholds;
    const all = Object.entries(thresholds)
      .map(([k, v]) => `${k}: ${v.join(' ')}`)
      .join('\n');
    expect(all).toMatch(/p\(9[59]\)/);
    expect(all).toMatch(/http_req_failed|checks/);
  });

  it('runs the read-heavy scenario at a constant arrival rate (open loop)', () => {
    const options = load('read-heavy.js').options as {
      scenarios: { reads: { executor: string; rate: number } };
    };
    expect(options.scenarios.reads).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 1000,
    });
  });
});
