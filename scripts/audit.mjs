#!/usr/bin/env node
// Dependency hygiene: asks the registry's advisory service about production dependencies
// (`pnpm audit --prod`) and fails on a high or critical advisory that is not accepted below.
// When the service cannot be reached (offline, or a registry mirror without the audit endpoint)
// it says so and passes: CI must not fail for a network it does not have.
// Each accepted advisory is explained in README.md ("Security model" > "Accepted advisories").
import { spawnSync } from 'node:child_process';
import { ROOT } from './lib/tools.mjs';

/** GitHub advisory ids accepted on purpose (see README); none today. */
const ACCEPTED = new Set([]);
const BLOCKING = new Set(['high', 'critical']);

// Under `pnpm run`, npm_execpath is the running pnpm (it may not be on PATH).
const execPath = process.env.npm_execpath ?? '';
const [command, prefix] = process.env.PNPM
  ? [process.env.PNPM, []]
  : /pnpm/.test(execPath) && /\.c?js$/.test(execPath)
    ? [process.execPath, [execPath]]
    : ['pnpm', []];
const result = spawnSync(command, [...prefix, 'audit', '--prod', '--json'], {
  cwd: ROOT,
  encoding: 'utf8',
  timeout: 120_000,
  maxBuffer: 64 * 1024 * 1024,
});

let report = null;
try {
  report = JSON.parse(result.stdout);
} catch {
  /* not JSON: the service did not answer */
}
if (!report || typeof report.advisories !== 'object' || report.error) {
  const why =
    `${result.error?.message ?? ''} ${report?.error?.code ?? ''} ${result.stderr ?? ''}`
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300) || 'no answer';
  console.log(`audit: SKIPPED — the advisory service could not be reached (${why}).`);
  console.log('audit: run `node scripts/audit.mjs` where the npm registry is reachable.');
  process.exit(0);
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
  `audit: ${advisories.length} advisories in production dependencies, ${blocking.length} high/critical not accepted`,
);
process.exit(blocking.length > 0 ? 1 : 0);
