import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, freePort } from '@shortlist/testkit';

function runAudit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'audit.mjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Where no advisory service answers, the audit must say that it did not run and what went
 * unchecked, and exit with the "skipped" status (3) that `npm test` never counts as a pass.
 */
describe('security: dependency audit without an advisory service', () => {
  it('names every production dependency it could not check and exits as skipped', async () => {
    const registry = `http://127.0.0.1:${await freePort()}/`;
    const { code, out } = await runAudit({
      AUDIT_REGISTRY: registry,
      // pnpm retries a refused connection for about a minute by default.
      pnpm_config_fetch_retries: '0',
    });
    expect(code).toBe(3);
    expect(out).toContain(`asking ${registry}-/npm/v1/security/advisories/bulk`);
    expect(out).toMatch(/audit: SKIPPED — the check could not run: .*127\.0\.0\.1/);
    expect(out).toMatch(/none of the \d{3,} production packages above was checked/);
    // The gateway's direct dependencies appear with the versions installed from the lockfile.
    const gateway = JSON.parse(
      readFileSync(join(REPO_ROOT, 'apps', 'gateway', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const external = Object.keys(gateway.dependencies).filter((n) => !n.startsWith('@shortlist/'));
    expect(external.length).toBeGreaterThan(5);
    const missing = external.filter((name) => {
      const installed = JSON.parse(
        readFileSync(
          join(REPO_ROOT, 'apps', 'gateway', 'node_modules', name, 'package.json'),
          'utf8',
        ),
      ) as { version: string };
      return !out.includes(`${name}@${installed.version}`);
    });
    expect(missing).toEqual([]);
    expect(out).not.toMatch(/checked \d+ production packages/);
  }, 60_000);
});
