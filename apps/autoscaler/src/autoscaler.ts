import type { LimiterHeadroom } from '@shortlist/llm';
import { prom, type Logger, type Registry } from '@shortlist/observability';
import type { QueueDepth } from '@shortlist/queue';
import type { ScaleTarget } from './env';
import { ScalePolicy, type Decision, type PolicyOptions } from './policy';
import type { Scaler } from './scalers/scaler';

/** The queue whose jobs call the LLM: its workers are bounded by the provider's limits. */
export const LLM_BOUND_QUEUE = 'resume-analysis';

export interface AutoscalerDeps {
  targets: ScaleTarget[];
  scaler: Scaler;
  readDepth(queue: string): Promise<Pick<QueueDepth, 'waiting' | 'active'>>;
  readHeadroom(): Promise<LimiterHeadroom>;
  policy: PolicyOptions;
  registry?: Registry;
  logger?: Logger;
  now?: () => number;
}

/** Weight of the newest headroom sample: the bucket swings call by call, the trend matters. */
const HEADROOM_SMOOTHING = 0.3;

/**
 * One loop for all targets: read each queue's depth and the limiter headroom, ask the policy,
 * tell the scaler. `tick()` is the whole step, so tests drive it with their own clock.
 */
export class Autoscaler {
  private readonly policies = new Map<string, ScalePolicy>();
  private headroom = 1;
  private readonly metrics;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AutoscalerDeps) {
    for (const target of deps.targets)
      this.policies.set(
        target.service,
        new ScalePolicy(target, deps.policy, target.queue === LLM_BOUND_QUEUE),
      );
    const registers = deps.registry ? [deps.registry] : [];
    this.metrics = {
      replicas: new prom.Gauge({
        name: 'shortlist_autoscaler_replicas',
        help: 'Replicas running per scaled service, as the autoscaler last saw them',
        labelNames: ['service'] as const,
        registers,
      }),
      desired: new prom.Gauge({
        name: 'shortlist_autoscaler_desired_replicas',
        help: 'Replicas the queue depth asks for per service (before cool-downs)',
        labelNames: ['service'] as const,
        registers,
      }),
      events: new prom.Counter({
        name: 'shortlist_autoscaler_scale_events_total',
        help: 'Replica changes made, by service and direction (up, down)',
        labelNames: ['service', 'direction'] as const,
        registers,
      }),
      headroom: new prom.Gauge({
        name: 'shortlist_llm_limiter_headroom_ratio',
        help: 'Unused share of the LLM RPM/TPM budget (smoothed); near 0 = the provider limit is the bottleneck',
        registers,
      }),
      errors: new prom.Counter({
        name: 'shortlist_autoscaler_errors_total',
        help: 'Autoscaler ticks that failed for a service (Redis or the scaler)',
        labelNames: ['service'] as const,
        registers,
      }),
    };
  }

  /** One step for every target; returns what was decided (failed targets are skipped). */
  async tick(): Promise<Decision[]> {
    const now = (this.deps.now ?? Date.now)();
    try {
      const sample = await this.deps.readHeadroom();
      this.headroom = HEADROOM_SMOOTHING * sample.ratio + (1 - HEADROOM_SMOOTHING) * this.headroom;
      if (sample.pausedUntil > 0) this.headroom = 0;
      this.metrics.headroom.set(this.headroom);
    } catch (error) {
      this.deps.logger?.warn('could not read the LLM limiter', { error });
    }
    const decisions: Decision[] = [];
    for (const target of this.deps.targets) {
      try {
        const [depth, current] = await Promise.all([
          this.deps.readDepth(target.queue),
          this.deps.scaler.replicas(target.service),
        ]);
        const decision = this.policies
          .get(target.service)!
          .decide(
            { ...depth, current, headroom: target.queue === LLM_BOUND_QUEUE ? this.headroom : 1 },
            now,
          );
        this.metrics.desired.set({ service: target.service }, decision.wanted);
        if (decision.replicas !== current) {
          this.deps.logger?.info('scaling', {
            ...decision,
            waiting: depth.waiting,
            active: depth.active,
            headroom: this.headroom,
          });
          await this.deps.scaler.scaleTo(target.service, decision.replicas);
          this.metrics.events.inc({
            service: target.service,
            direction: decision.replicas > current ? 'up' : 'down',
          });
        }
        this.metrics.replicas.set({ service: target.service }, decision.replicas);
        decisions.push(decision);
      } catch (error) {
        this.metrics.errors.inc({ service: target.service });
        this.deps.logger?.warn('autoscaler tick failed', { service: target.service, error });
      }
    }
    return decisions;
  }

  /** Ticks every `intervalMs` until {@link stop}; a tick never overlaps the previous one. */
  start(intervalMs: number): void {
    const loop = () => {
      this.running = this.tick().finally(() => {
        if (this.timer) this.timer = setTimeout(loop, intervalMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }
}
