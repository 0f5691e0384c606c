/**
 * The scaled-out topology as real processes on this machine, for the topology test and the load
 * benchmarks: nginx (from apt, unprivileged config in a temp prefix) in front of N gateways,
 * resume-workers and email-workers, all sharing one SQLite file and one blob folder, and a Redis
 * of their own (a private redis-server on a free port, so it can be restarted) or a given one.
 * Every process is started here and stopped by PID.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  REPO_ROOT,
  startProcess,
  tempDir,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';

export const NGINX_CONF = join(REPO_ROOT, 'nginx', 'nginx.conf');
const tsx = (app: string, file = 'main.ts') => [
  '--import',
  'tsx',
  join(REPO_ROOT, 'apps', app, 'src', file),
];

// ---------------------------------------------------------------------------------------------
// nginx

export interface NginxLocalOptions {
  /** Folder for pid, logs and temp files (the `-p` prefix). */
  prefix: string;
  /** `host:port` to listen on; default keeps the file's own. */
  listen?: string;
  /** `host:port` of the stub_status server. */
  statusListen?: string;
  /** Upstream gateway addresses (`127.0.0.1:port`); default keeps the file's servers. */
  gateways?: string[];
  /** Host names to rewrite in upstream servers, e.g. `{ gateway: '127.0.0.1' }` for `nginx -t`. */
  hosts?: Record<string, string>;
  /** Folder of the web app's static files. */
  webRoot?: string;
  /** Write the access log to the prefix (default) or turn it off (load benchmarks). */
  accessLog?: boolean;
  workerProcesses?: number | 'auto';
}

/**
 * nginx/nginx.conf with only the lines marked `# local: <what>` and the upstream block rewritten
 * for a run on this machine; everything else (limits, failover, buffering, gzip, caching) is the
 * shipped configuration. Throws if a marker is missing, so the file and this stay in step.
 */
export function renderNginxConfig(source: string, options: NginxLocalOptions): string {
  const { prefix } = options;
  const seen = new Set<string>();
  const lines = source.split('\n').map((line) => {
    const marker = /#\s*local:\s*(\w+)\s*$/.exec(line);
    if (!marker) return line;
    const what = marker[1]!;
    seen.add(what);
    const indent = /^\s*/.exec(line)![0];
    switch (what) {
      case 'pid':
        return `${indent}pid ${prefix}/nginx.pid;`;
      case 'error_log':
        return `${indent}error_log ${prefix}/error.log warn;`;
      case 'temp':
        return line.replace(/\/tmp\//g, `${prefix}/`).replace(/\s*#\s*local:.*$/, '');
      case 'access_log':
        return options.accessLog === false
          ? `${indent}access_log off;`
          : `${indent}access_log ${prefix}/access.log shortlist buffer=64k flush=1s;`;
      case 'listen':
        return options.listen
          ? line.replace(/listen\s+\S+/, `listen ${options.listen}`).replace(/\s*#\s*local:.*$/, '')
          : line;
      case 'status_listen':
        return options.statusListen ? `${indent}listen ${options.statusListen};` : line;
      case 'web_root':
        return options.webRoot ? `${indent}root ${options.webRoot};` : line;
      default:
        throw new Error(`nginx.conf: unknown local marker "${what}"`);
    }
  });
  for (const needed of ['pid', 'error_log', 'temp', 'access_log', 'listen', 'web_root'])
    if (!seen.has(needed)) throw new Error(`nginx.conf: no line marked "# local: ${needed}"`);

  let text = lines.join('\n');
  const block = /(\n[ \t]*# gateways:begin\n)([\s\S]*?)(\n[ \t]*# gateways:end)/;
  const match = block.exec(text);
  if (!match) throw new Error('nginx.conf: no "# gateways:begin/end" block in the upstream');
  let servers = match[2]!;
  if (options.gateways) {
    const params = /server\s+\S+\s+([^;]*);/.exec(servers)?.[1] ?? '';
    servers = options.gateways.map((g) => `    server ${g} ${params};`).join('\n');
  }
  for (const [host, ip] of Object.entries(options.hosts ?? {}))
    servers = servers.replace(new RegExp(`server\\s+${host}:`, 'g'), `server ${ip}:`);
  text = text.replace(block, `$1${servers}$3`);
  if (options.workerProcesses !== undefined)
    text = text.replace(
      /^worker_processes\s+\S+;/m,
      `worker_processes ${options.workerProcesses};`,
    );
  return text;
}

export function nginxBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (!found)
    throw new Error('nginx is not installed: apt-get install -y nginx (npm test installs it).');
  return found.split('\n')[0]!;
}

/** Writes the rendered config into `prefix` and runs `nginx -t` on it; returns its output. */
export async function testNginxConfig(options: NginxLocalOptions): Promise<string> {
  const conf = await writeNginxConfig(options);
  const result = spawnSync(
    nginxBinary(),
    ['-t', '-p', options.prefix, '-c', conf, '-e', join(options.prefix, 'error.log')],
    { encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`nginx -t failed:\n${output}`);
  return output;
}

async function writeNginxConfig(options: NginxLocalOptions): Promise<string> {
  await mkdir(options.prefix, { recursive: true });
  // When the test runs as root, nginx's workers run as `nobody` and must reach the prefix.
  await chmod(options.prefix, 0o755);
  const conf = join(options.prefix, 'nginx.conf');
  await writeFile(conf, renderNginxConfig(await readFile(NGINX_CONF, 'utf8'), options));
  return conf;
}

export interface NginxProcess extends RunningProcess {
  url: string;
  port: number;
  statusUrl: string;
  prefix: string;
  /** Rewrites the upstream list and reloads nginx (SIGHUP) without dropping connections. */
  setGateways(gateways: string[]): Promise<void>;
}

/** Starts nginx in the foreground (`daemon off`) so it is our child and stops by PID. */
export async function startNginx(
  options: Omit<NginxLocalOptions, 'listen' | 'statusListen'> & { port?: number },
): Promise<NginxProcess> {
  const port = options.port ?? (await freePort());
  const statusPort = await freePort();
  const full = {
    ...options,
    listen: `127.0.0.1:${port}`,
    statusListen: `127.0.0.1:${statusPort}`,
  };
  await testNginxConfig(full);
  const conf = join(options.prefix, 'nginx.conf');
  const proc = startProcess(
    nginxBinary(),
    [
      '-p',
      options.prefix,
      '-c',
      conf,
      '-e',
      join(options.prefix, 'error.log'),
      '-g',
      'daemon off;',
    ],
    { label: 'nginx' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`http://127.0.0.1:${statusPort}/stub_status`, 20_000, proc);
  return {
    ...proc,
    url,
    port,
    statusUrl: `http://127.0.0.1:${statusPort}/stub_status`,
    prefix: options.prefix,
    async setGateways(gateways) {
      await writeNginxConfig({ ...full, gateways });
      process.kill(proc.pid, 'SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number, proc?: RunningProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      if (proc?.child.exitCode !== null && proc?.child.exitCode !== undefined)
        throw new Error(`exited with ${proc.child.exitCode}:\n${proc.output()}`);
      if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisServer {
  url: string;
  port: number;
  process(): RunningProcess;
  /** Stops Redis (SIGTERM: it flushes the AOF) and starts it again on the same port and files. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private redis-server with the production settings of docker-compose.yml (AOF every second,
 * noeviction), on a free port with its files in `dir`.
 */
export async function startRedisServer(dir: string): Promise<RedisServer> {
  const port = await freePort();
  await mkdir(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  const launch = async () => {
    const proc = startProcess('redis-server', args, { label: 'redis' });
    await proc.waitFor(/Ready to accept connections/, 20_000);
    return proc;
  };
  let current = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: () => current,
    async restart(downMs = 1_000) {
      await current.stop('SIGTERM', 10_000);
      await new Promise((r) => setTimeout(r, downMs));
      current = await launch();
    },
    async stop() {
      await current.stop('SIGTERM', 10_000);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The apps

export interface AppProcess extends RunningProcess {
  name: string;
  /** The gateway's HTTP port, or a worker's ops port (/healthz, /readyz, /metrics). */
  port: number;
  url: string;
}

export interface TopologyOptions {
  gateways?: number;
  resumeWorkers?: number;
  emailWorkers?: number;
  /** Use this Redis instead of starting a private one. */
  redisUrl?: string;
  /** Environment for every app (scorer, SMTP, limits...). */
  env?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Extra node flags for the gateways (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  gatewayNodeArgs?: string[];
  resumeWorkerEnv?: Record<string, string>;
  emailWorkerEnv?: Record<string, string>;
  /** Static files nginx serves at `/`. */
  webRoot?: string;
  nginx?: Partial<Omit<NginxLocalOptions, 'prefix' | 'gateways'>>;
  label?: string;
}

export interface Topology {
  url: string;
  apiKey: string;
  dataDir: string;
  prefix: string;
  redisUrl: string;
  redis: RedisServer | null;
  nginx: NginxProcess;
  gateways: AppProcess[];
  resumeWorkers: AppProcess[];
  emailWorkers: AppProcess[];
  env: Record<string, string>;
  startGateway(): Promise<AppProcess>;
  startResumeWorker(): Promise<AppProcess>;
  startEmailWorker(): Promise<AppProcess>;
  /** Every process's output, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const dir = await tempDir(options.label ?? 'topology');
  await chmod(dir.path, 0o755);
  const redis = options.redisUrl ? null : await startRedisServer(join(dir.path, 'redis'));
  const redisUrl = options.redisUrl ?? redis!.url;
  const prefix = uniquePrefix(options.label ?? 'topo');
  const env: Record<string, string> = {
    DATA_DIR: join(dir.path, 'data'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    CURSOR_SECRET: 'topology-cursor-secret-0123456789',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  await mkdir(env.DATA_DIR!, { recursive: true });
  const apiKey = execFileSync(
    process.execPath,
    [...tsx('gateway', 'admin.ts'), 'create-user', '--name', 'Operator', '--role', 'admin'],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  ).trim();

  const all: AppProcess[] = [];
  const gateways: AppProcess[] = [];
  const resumeWorkers: AppProcess[] = [];
  const emailWorkers: AppProcess[] = [];
  let counter = 0;

  const start = async (
    app: 'gateway' | 'resume-worker' | 'email-worker',
    extra: Record<string, string> | undefined,
  ): Promise<AppProcess> => {
    const name = `${app}-${++counter}`;
    // The port is chosen here and awaited over HTTP, so readiness does not depend on LOG_LEVEL
    // (the load benchmarks run the apps at warn).
    const port = await freePort();
    const ports = app === 'gateway' ? { PORT: String(port) } : { OPS_PORT: String(port) };
    const nodeArgs = app === 'gateway' ? (options.gatewayNodeArgs ?? []) : [];
    const proc = startProcess(process.execPath, [...nodeArgs, ...tsx(app)], {
      cwd: REPO_ROOT,
      env: { ...env, PORT: '0', WEB_DIR: 'off', TRUST_PROXY_HOPS: '1', ...ports, ...extra },
      label: name,
    });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 90_000, proc);
    const started: AppProcess = { ...proc, name, port, url: `http://127.0.0.1:${port}` };
    all.push(started);
    return started;
  };

  const startGateway = async () => {
    const g = await start('gateway', options.gatewayEnv);
    gateways.push(g);
    return g;
  };
  const startResumeWorker = async () => {
    const w = await start('resume-worker', options.resumeWorkerEnv);
    resumeWorkers.push(w);
    return w;
  };
  const startEmailWorker = async () => {
    const w = await start('email-worker', options.emailWorkerEnv);
    emailWorkers.push(w);
    return w;
  };

  let nginx: NginxProcess | undefined;
  try {
    await Promise.all([
      ...Array.from({ length: options.gateways ?? 2 }, startGateway),
      ...Array.from({ length: options.resumeWorkers ?? 2 }, startResumeWorker),
      ...Array.from({ length: options.emailWorkers ?? 1 }, startEmailWorker),
    ]);
    nginx = await startNginx({
      prefix: join(dir.path, 'nginx'),
      gateways: gateways.map((g) => `127.0.0.1:${g.port}`),
      webRoot: options.webRoot ?? join(REPO_ROOT, 'apps', 'web', 'dist'),
      ...options.nginx,
    });
  } catch (error) {
    await Promise.allSettled(all.map((p) => p.stop('SIGKILL')));
    await redis?.stop();
    await dir.remove();
    throw error;
  }

  return {
    url: nginx.url,
    apiKey,
    dataDir: dir.path,
    prefix,
    redisUrl,
    redis,
    nginx,
    gateways,
    resumeWorkers,
    emailWorkers,
    env,
    startGateway,
    startResumeWorker,
    startEmailWorker,
    logs: () =>
      [...all, nginx!]
        .map((p) => `--- ${'name' in p ? p.name : 'nginx'}\n${p.output().slice(-3_000)}`)
        .join('\n'),
    async stop() {
      await Promise.allSettled([
        nginx!.stop('SIGQUIT', 5_000),
        ...all.map((p) => p.stop('SIGTERM', 15_000)),
      ]);
      await redis?.stop();
      await dir.remove();
    },
  };
}
