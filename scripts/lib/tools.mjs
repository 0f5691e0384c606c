// Bootstrapping with nothing but Node and npm: a pinned pnpm, the workspace install, apt packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { step } from './log.mjs';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const PNPM_VERSION = '12.4.2';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

function versionOf(command) {
  try {
    return execFileSync(command, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** Path of a pnpm binary at the pinned version: the global one if it matches, else one in .tools/. */
export function ensurePnpm() {
  if (versionOf('pnpm') === PNPM_VERSION) return 'pnpm';
  const local = join(ROOT, '.tools', 'node_modules', '.bin', 'pnpm');
  if (versionOf(local) !== PNPM_VERSION) {
    step(`installing pnpm ${PNPM_VERSION} into .tools/`);
    run('npm', [
      'install',
      '--prefix',
      join(ROOT, '.tools'),
      '--no-save',
      '--no-audit',
      '--no-fund',
      `pnpm@${PNPM_VERSION}`,
    ]);
  }
  return local;
}

/** Environment for installs: native addons build against the system's Node headers when present. */
export function installEnv() {
  const env = { ...process.env };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h'))
    env.npm_config_nodedir = '/usr';
  return env;
}

/** `pnpm install --frozen-lockfile`, skipped when node_modules is newer than the lockfile. */
export function installDependencies(pnpm, { force = false } = {}) {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lock = join(ROOT, 'pnpm-lock.yaml');
  const upToDate = existsSync(marker) && statSync(marker).mtimeMs > statSync(lock).mtimeMs;
  if (upToDate && !force) return;
  step('installing dependencies (pnpm install --frozen-lockfile)');
  run(pnpm, ['install', '--frozen-lockfile'], { env: installEnv() });
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian packages that are missing (only as root with apt-get); returns what is still missing. */
export function ensureAptPackages(packages) {
  const missing = packages.filter(({ command }) => !hasCommand(command));
  if (missing.length === 0) return [];
  if (!isRoot() || !hasCommand('apt-get')) return missing;
  const names = missing.map((p) => p.apt);
  step(`installing ${names.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
  return packages.filter(({ command }) => !hasCommand(command));
}
