import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseEnv } from '@shortlist/config';
import { GatewayEnv } from '../src/env';

describe('gateway env', () => {
  it('has working defaults for the embedded setup', () => {
    expect(parseEnv(GatewayEnv, {})).toMatchObject({
      PORT: 8080,
      STORE: 'sqlite',
      BLOBS: 'local',
      HOST: '127.0.0.1',
    });
  });

  it('rejects an unknown store kind by name', () => {
    expect(() => parseEnv(GatewayEnv, { STORE: 'mongo' })).toThrow(/STORE:/);
  });

  it('stops the real process with exit 78 and a message naming the bad variable', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'src', 'main.ts')],
      {
        env: { ...process.env, PORT: 'eighty', MAX_FILE_BYTES: '-5' },
        encoding: 'utf8',
        // Generous: tsx start-up takes tens of seconds when the machine is busy with other suites.
        timeout: 100_000,
      },
    );
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT: must be a number');
    expect(result.stderr).toContain('MAX_FILE_BYTES: must be at least 1');
  }, 120_000);
});
