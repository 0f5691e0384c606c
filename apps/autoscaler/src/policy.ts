import type { ScaleTarget } from './env';

/** What one tick observed about a target. */
export interface Observation {
  /** Jobs ready to run (waiting + prioritized). */
  waiting: number;
  active: number;
  /** Replicas running now. */
  current: number;
  /** Smoothed LLM limiter headroom, 0-1 (1 when the target is not LLM-bound). */
  headroom: number;
}

export interface Decision {
  service: string;
  current: number;
  /** What the queue asks for, before cool-downs. */
  wanted: number;
  /** What the scaler is told to run (equal to `current` when nothing changes). */
  replicas: number;
  reason:
    | 'steady'
    | 'scale-up'
    | 'scale-down'
    | 'below-minimum'
    | 'up-cooldown'
    | 'down-cooldown'
    | 'llm-limited';
}

export interface PolicyOptions {
  upCooldownMs: number;
  downCooldownMs: number;
  /** Below this headroom the LLM budget, not the workers, bounds throughput: do not add workers. */
  headroomFloor: number;
}

/** Replicas the queue needs: one per `jobsPerReplica` waiting or active jobs, within min..max. */
export function replicasFor(target: ScaleTarget, waiting: number, active: number): number {
  const demand = waiting + active;
  const wanted = demand === 0 ? 0 : Math.ceil(demand / target.jobsPerReplica);
  return Math.min(target.max, Math.max(target.min, wanted));
}

/**
 * The decision for one target, with the habits of Kubernetes' HPA: scale up at once (then wait
 * `upCooldownMs`), scale down only after `downCooldownMs` since the last change and only to the
 * highest count asked for during that window, so a queue that empties between two batches does
 * not make workers flap. Falling below `min` (a crashed worker) is repaired at once.
 */
export class ScalePolicy {
  private lastChangeAt = Number.NEGATIVE_INFINITY;
  private readonly history: { at: number; wanted: number }[] = [];

  constructor(
    private readonly target: ScaleTarget,
    private readonly options: PolicyOptions,
    private readonly llmBound: boolean,
  ) {}

  decide(observation: Observation, now: number): Decision {
    const { current } = observation;
    let wanted = replicasFor(this.target, observation.waiting, observation.active);
    const limited =
      this.llmBound && observation.headroom < this.options.headroomFloor && wanted > current;
    if (limited) wanted = Math.max(current, this.target.min);

    this.history.push({ at: now, wanted });
    while (this.history.length > 0 && this.history[0]!.at < now - this.options.downCooldownMs)
      this.history.shift();

    const base = { service: this.target.service, current, wanted };
    if (current < this.target.min)
      return this.change(base, Math.max(wanted, this.target.min), 'below-minimum', now);
    if (wanted > current) {
      if (now - this.lastChangeAt < this.options.upCooldownMs)
        return { ...base, replicas: current, reason: 'up-cooldown' };
      return this.change(base, wanted, 'scale-up', now);
    }
    if (wanted < current) {
      const stabilized = Math.max(...this.history.map((h) => h.wanted));
      if (now - this.lastChangeAt < this.options.downCooldownMs || stabilized >= current)
        return { ...base, replicas: current, reason: 'down-cooldown' };
      return this.change(base, stabilized, 'scale-down', now);
    }
    return { ...base, replicas: current, reason: limited ? 'llm-limited' : 'steady' };
  }

  private change(
    base: Pick<Decision, 'service' | 'current' | 'wanted'>,
    replicas: number,
    reason: Decision['reason'],
    now: number,
  ): Decision {
    this.lastChangeAt = now;
    return { ...base, replicas, reason };
  }
}
