import { createRegistry } from '@shortlist/observability';
import { Autoscaler } from '../autoscaler';
import { ComposeScaler, type CommandRunner } from './compose.scaler';

/** A fake `docker` that records every call and keeps replica counts like compose would. */
function fakeDocker(initial: Record<string, number>, failWith?: string) {
  const calls: string[][] = [];
  const running = { ...initial };
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args]);
    if (failWith) return { code: 1, stdout: '', stderr: failWith };
    const service = args.at(-1)!;
    if (args.includes('ps'))
      return {
        code: 0,
        stdout: Array.from({ length: running[service] ?? 0 }, (_, i) => `c${i}\n`).join(''),
        stderr: '',
      };
    const scale = args[args.indexOf('--scale') + 1]!.split('=');
    running[scale[0]!] = Number(scale[1]);
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls, running };
}

describe('ComposeScaler', () => {
  const options = { projectDir: '/project', projectName: 'shortlist' };

  it('counts running replicas with docker compose ps', async () => {
    const docker = fakeDocker({ 'resume-worker': 3 });
    const scaler = new ComposeScaler({ ...options, run: docker.run });
    expect(await scaler.replicas('resume-worker')).toBe(3);
    expect(docker.calls).toEqual([
      [
        'docker',
        'compose',
        '--project-directory',
        '/project',
        '--project-name',
        'shortlist',
        'ps',
        '--status',
        'running',
        '--quiet',
        'resume-worker',
      ],
    ]);
  });

  it('scales one service with up --scale, leaving the others and running replicas alone', async () => {
    const docker = fakeDocker({});
    const scaler = new ComposeScaler({ ...options, file: 'docker-compose.yml', run: docker.run });
    await scaler.scaleTo('resume-worker', 8);
    expect(docker.calls).toEqual([
      [
        'docker',
        'compose',
        '--project-directory',
        '/project',
        '--file',
        'docker-compose.yml',
        '--project-name',
        'shortlist',
        'up',
        '--detach',
        '--no-deps',
        '--no-recreate',
        '--no-build',
        '--scale',
        'resume-worker=8',
        'resume-worker',
      ],
    ]);
  });

  it("reports docker's own error when a command fails", async () => {
    const scaler = new ComposeScaler({
      ...options,
      run: fakeDocker({}, 'Cannot connect to the Docker daemon').run,
    });
    await expect(scaler.scaleTo('resume-worker', 2)).rejects.toThrow(
      /exited with 1: Cannot connect to the Docker daemon/,
    );
  });
});

describe('Autoscaler with the compose scaler', () => {
  it('follows the queue depth: up at once, down after the cool-down, each service on its own', async () => {
    const docker = fakeDocker({ 'resume-worker': 1, 'email-worker': 1 });
    let clock = 0;
    const depth: Record<string, { waiting: number; active: number }> = {
      'resume-analysis': { waiting: 380, active: 32 },
      'email-delivery': { waiting: 10, active: 0 },
    };
    const registry = createRegistry('autoscaler-test');
    const autoscaler = new Autoscaler({
      targets: [
        { service: 'resume-worker', queue: 'resume-analysis', min: 1, max: 8, jobsPerReplica: 50 },
        { service: 'email-worker', queue: 'email-delivery', min: 1, max: 2, jobsPerReplica: 500 },
      ],
      scaler: new ComposeScaler({ projectDir: '/project', run: docker.run }),
      readDepth: async (queue) => depth[queue]!,
      readHeadroom: async () => ({ ratio: 1, pausedUntil: 0 }),
      policy: { upCooldownMs: 15_000, downCooldownMs: 60_000, headroomFloor: 0.1 },
      registry,
      now: () => clock,
    });

    await autoscaler.tick();
    expect(docker.running).toEqual({ 'resume-worker': 8, 'email-worker': 1 });
    const scaleCalls = () => docker.calls.filter((c) => c.includes('up')).map((c) => c.at(-2));
    expect(scaleCalls()).toEqual(['resume-worker=8']);

    depth['resume-analysis'] = { waiting: 0, active: 0 };
    clock = 30_000;
    await autoscaler.tick();
    expect(docker.running['resume-worker']).toBe(8);
    clock = 61_000;
    await autoscaler.tick();
    expect(docker.running['resume-worker']).toBe(1);
    expect(scaleCalls()).toEqual(['resume-worker=8', 'resume-worker=1']);

    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /shortlist_autoscaler_scale_events_total\{service="resume-worker",direction="up",app="autoscaler-test"\} 1/,
    );
    expect(metrics).toMatch(
      /shortlist_autoscaler_replicas\{service="resume-worker",app="autoscaler-test"\} 1/,
    );
  });

  it('holds resume workers while the provider paused every call (429), and says so', async () => {
    const docker = fakeDocker({ 'resume-worker': 2 });
    const autoscaler = new Autoscaler({
      targets: [
        { service: 'resume-worker', queue: 'resume-analysis', min: 1, max: 8, jobsPerReplica: 50 },
      ],
      scaler: new ComposeScaler({ projectDir: '/project', run: docker.run }),
      readDepth: async () => ({ waiting: 1_000, active: 64 }),
      readHeadroom: async () => ({ ratio: 0, pausedUntil: Date.now() + 30_000 }),
      policy: { upCooldownMs: 0, downCooldownMs: 60_000, headroomFloor: 0.1 },
    });
    expect(await autoscaler.tick()).toEqual([
      expect.objectContaining({
        service: 'resume-worker',
        wanted: 2,
        replicas: 2,
        reason: 'llm-limited',
      }),
    ]);
    expect(docker.running['resume-worker']).toBe(2);
  });

  it('keeps going when docker fails for one tick', async () => {
    const scaler = new ComposeScaler({
      projectDir: '/project',
      run: fakeDocker({}, 'daemon down').run,
    });
    const autoscaler = new Autoscaler({
      targets: [
        { service: 'resume-worker', queue: 'resume-analysis', min: 1, max: 8, jobsPerReplica: 50 },
      ],
      scaler,
      readDepth: async () => ({ waiting: 10, active: 0 }),
      readHeadroom: async () => ({ ratio: 1, pausedUntil: 0 }),
      policy: { upCooldownMs: 0, downCooldownMs: 0, headroomFloor: 0.1 },
    });
    await expect(autoscaler.tick()).resolves.toEqual([]);
  });
});
