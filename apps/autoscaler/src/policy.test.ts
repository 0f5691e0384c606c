import { ScalePolicy, replicasFor } from './policy';

const target = {
  service: 'resume-worker',
  queue: 'resume-analysis',
  min: 1,
  max: 8,
  jobsPerReplica: 50,
};
const options = { upCooldownMs: 15_000, downCooldownMs: 120_000, headroomFloor: 0.1 };
const idle = { waiting: 0, active: 0, headroom: 1 };

describe('replicasFor', () => {
  it('asks one replica per jobsPerReplica waiting or active jobs, within min and max', () => {
    expect(replicasFor(target, 0, 0)).toBe(1);
    expect(replicasFor(target, 1, 0)).toBe(1);
    expect(replicasFor(target, 60, 40)).toBe(2);
    expect(replicasFor(target, 101, 0)).toBe(3);
    expect(replicasFor(target, 10_000, 64)).toBe(8);
    expect(replicasFor({ ...target, min: 0 }, 0, 0)).toBe(0);
  });
});

describe('ScalePolicy', () => {
  it('scales up at once, then waits out the up cool-down before growing again', () => {
    const policy = new ScalePolicy(target, options, true);
    expect(policy.decide({ ...idle, waiting: 120, current: 1 }, 0)).toMatchObject({
      replicas: 3,
      reason: 'scale-up',
    });
    expect(policy.decide({ ...idle, waiting: 400, current: 3 }, 10_000)).toMatchObject({
      wanted: 8,
      replicas: 3,
      reason: 'up-cooldown',
    });
    expect(policy.decide({ ...idle, waiting: 400, current: 3 }, 15_000)).toMatchObject({
      replicas: 8,
      reason: 'scale-up',
    });
  });

  it('scales down only after the down cool-down, to the most asked for during that window', () => {
    const policy = new ScalePolicy(target, options, true);
    policy.decide({ ...idle, waiting: 400, current: 1 }, 0); // -> 8
    // The queue empties, refills a little at 60 s, then stays low.
    expect(policy.decide({ ...idle, current: 8 }, 30_000)).toMatchObject({
      replicas: 8,
      reason: 'down-cooldown',
    });
    policy.decide({ ...idle, waiting: 180, current: 8 }, 60_000); // wants 4
    expect(policy.decide({ ...idle, current: 8 }, 120_001)).toMatchObject({
      wanted: 1,
      replicas: 4,
      reason: 'scale-down',
    });
    expect(policy.decide({ ...idle, current: 4 }, 200_000)).toMatchObject({
      replicas: 4,
      reason: 'down-cooldown',
    });
    expect(policy.decide({ ...idle, current: 4 }, 240_002)).toMatchObject({
      replicas: 1,
      reason: 'scale-down',
    });
  });

  it('restores the minimum at once when a replica died, cool-down or not', () => {
    const policy = new ScalePolicy({ ...target, min: 2 }, options, false);
    policy.decide({ ...idle, waiting: 100, current: 2 }, 0);
    expect(policy.decide({ ...idle, current: 1 }, 1_000)).toMatchObject({
      replicas: 2,
      reason: 'below-minimum',
    });
  });

  it('does not add LLM-bound workers while the limiter has no headroom, but keeps those running', () => {
    const policy = new ScalePolicy(target, options, true);
    expect(
      policy.decide({ waiting: 400, active: 64, current: 2, headroom: 0.02 }, 0),
    ).toMatchObject({
      wanted: 2,
      replicas: 2,
      reason: 'llm-limited',
    });
    expect(
      policy.decide({ waiting: 400, active: 64, current: 2, headroom: 0.6 }, 1_000),
    ).toMatchObject({
      replicas: 8,
      reason: 'scale-up',
    });
    // Queues that do not call the LLM ignore the limiter.
    const email = new ScalePolicy(
      { ...target, service: 'email-worker', queue: 'email-delivery' },
      options,
      false,
    );
    expect(email.decide({ waiting: 400, active: 0, current: 1, headroom: 0 }, 0)).toMatchObject({
      replicas: 8,
    });
  });
});
