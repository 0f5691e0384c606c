#!/usr/bin/env node
// Dependency hygiene: lists the production dependencies (from the lockfile, offline), then asks
// the registry's advisory service about them (`pnpm audit --prod`) and fails on a high or
// critical advisory that is not accepted below.
// When no advisory service answers (offline, or a read-only registry mirror that refuses the
// audit POST with 405) it says so, names every production dependency that went unchecked, and
// exits with SKIPPED_EXIT: `npm test` reports the check as skipped, never as passed.
// `AUDIT_REGISTRY=<url>` points the check at a registry with the advisory endpoint.
// Each accepted advisory is explained in README.md ("Security model" > "Dependencies").
import { spawnSync } from 'node:child_process';
import { ROOT } from './lib/tools.mjs';

/** GitHub advisory ids accepted on purpose (see README); none today. */
const ACCEPTED = new Set([]);
const BLOCKING = new Set(['high', 'critical']);
/** Exit status of a check that could not run (scripts/test.mjs counts it as skipped). */
const SKIPPED_EXIT = 3;

// Under `pnpm run`, npm_execpath is the running pnpm (it may not be on PATH).
const execPath = process.env.npm_execpath ?? '';
const [command, prefix] = process.env.PNPM
  ? [process.env.PNPM, []]
  : /pnpm/.test(execPath) && /\.c?js$/.test(execPath)
    ? [process.execPath, [execPath]]
    : ['pnpm', []];
const pnpm = (args, timeout = 120_000) =>
  spawnSync(command, [...prefix, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
const oneLine = (text, max = 300) =>
  String(text ?? '')
    .replace(/[│×]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);

/** The production dependency closure of every workspace project, as `name@version`. */
function productionPackages() {
  const listed = pnpm(['list', '--prod', '--recursive', '--json', '--depth', 'Infinity']);
  const projects = JSON.parse(listed.stdout || '[]');
  const local = (version) => /^(link|file|workspace):/.test(version ?? '');
  const direct = new Map();
  const all = new Set();
  const walk = (deps) => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (local(dep.version)) continue;
      const id = `${name}@${dep.version}`;
      if (all.has(id)) continue;
      all.add(id);
      walk(dep.dependencies);
    }
  };
  for (const project of projects) {
    for (const [name, dep] of Object.entries(project.dependencies ?? {}))
      if (!local(dep.version)) direct.set(name, dep.version);
    walk(project.dependencies);
  }
  return { direct: [...direct].map(([n, v]) => `${n}@${v}`).sort(), all };
}

const { direct, all } = productionPackages();
const registry = (
  process.env.AUDIT_REGISTRY || oneLine(pnpm(['config', 'get', 'registry']).stdout)
).replace(/\/?$/, '/');
const endpoint = `${registry}-/npm/v1/security/advisories/bulk`;
console.log(
  `audit: ${direct.length} direct production dependencies, ${all.size} packages with their own dependencies (pnpm-lock.yaml):`,
);
for (let i = 0; i < direct.length; i += 4)
  console.log(`audit:   ${direct.slice(i, i + 4).join('  ')}`);
console.log(`audit: asking ${endpoint} (pnpm audit --prod)`);

const result = pnpm(['audit', '--prod', '--json', `--registry=${registry}`]);
let report = null;
try {
  report = JSON.parse(result.stdout);
} catch {
  /* not JSON: the service did not answer */
}
if (!report || typeof report.advisories !== 'object' || report.error) {
  const why =
    oneLine(
      `${result.error?.message ?? ''} ${report?.error?.code ?? ''} ${report?.error?.message ?? ''} ${result.stderr ?? ''}`,
    ) || 'no answer';
  console.log(`audit: SKIPPED — the check could not run: ${why}`);
  console.log(
    `audit: none of the ${all.size} production packages above was checked against an advisory database.`,
  );
  console.log(
    'audit: run `AUDIT_REGISTRY=https://registry.npmjs.org/ node scripts/audit.mjs` where that service answers.',
  );
  process.exit(SKIPPED_EXIT);
}

const advisories = Object.values(report.advisories);
const blocking = advisories.filter(
  (a) => BLOCKING.has(a.severity) && !ACCEPTED.has(a.github_advisory_id),
);
for (const a of advisories) {
  const mark = !BLOCKING.has(a.severity)
    ? 'note'
    : ACCEPTED.has(a.github_advisory_id)
      ? 'accepted'
      : 'BLOCKING';
  console.log(
    `audit: ${mark} ${a.severity} ${a.module_name} ${a.github_advisory_id ?? a.id}: ${a.title}`,
  );
}
console.log(
  `audit: checked ${all.size} production packages: ${advisories.length} advisories, ${blocking.length} high/critical not accepted`,
);
process.exit(blocking.length > 0 ? 1 : 0);
