import { commonEnv, int, port, z } from '@shortlist/config';
import { QueueNames } from '@shortlist/contracts';

/** One scaled service: `service:queue:min:max:jobsPerReplica`. */
export interface ScaleTarget {
  /** Compose service (or local app) name, e.g. `resume-worker`. */
  service: string;
  /** The queue whose depth drives it. */
  queue: string;
  min: number;
  max: number;
  /** Waiting + active jobs one replica is expected to handle. */
  jobsPerReplica: number;
}

const TARGET = /^([a-z0-9][a-z0-9_-]*):([a-z0-9-]+):(\d+):(\d+):(\d+)$/;

function parseTargets(value: string, ctx: z.RefinementCtx): ScaleTarget[] {
  const targets: ScaleTarget[] = [];
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = TARGET.exec(item);
    if (!m) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not service:queue:min:max:jobsPerReplica`,
      });
      return z.NEVER;
    }
    const [, service, queue, min, max, per] = m;
    const target = {
      service: service!,
      queue: queue!,
      min: +min!,
      max: +max!,
      jobsPerReplica: +per!,
    };
    if (!(Object.values(QueueNames) as string[]).includes(target.queue))
      ctx.addIssue({ code: 'custom', message: `unknown queue "${target.queue}" in "${item}"` });
    if (target.max < 1 || target.min > target.max)
      ctx.addIssue({ code: 'custom', message: `needs 0 <= min <= max and max >= 1 in "${item}"` });
    if (target.jobsPerReplica < 1)
      ctx.addIssue({ code: 'custom', message: `jobsPerReplica must be at least 1 in "${item}"` });
    targets.push(target);
  }
  if (targets.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one target' });
  return targets;
}

/** Autoscaler configuration, parsed once at start-up. */
export const AutoscalerEnv = z.object({
  ...commonEnv,
  /** `compose`: `docker compose up --scale`; `local`: worker processes on this machine. */
  SCALER: z.enum(['compose', 'local']).default('local'),
  AUTOSCALE_TARGETS: z
    .string()
    .default('resume-worker:resume-analysis:1:8:50,email-worker:email-delivery:1:2:500')
    .transform(parseTargets),
  /** How often queues are read and replicas adjusted (ms). */
  AUTOSCALE_INTERVAL_MS: int(5_000, 100),
  /** Time after a change before scaling up again (ms). */
  SCALE_UP_COOLDOWN_MS: int(15_000, 0),
  /** Time after a change before scaling down, and how long demand must stay lower (ms). */
  SCALE_DOWN_COOLDOWN_MS: int(120_000, 0),
  /** Below this limiter headroom (0-1) the LLM budget is the bottleneck: resume workers stop growing. */
  LLM_HEADROOM_FLOOR: z.coerce.number().min(0).max(1).default(0.1),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_RPM: int(0, 0),
  LLM_TPM: int(0, 0),
  /** compose scaler: the folder holding docker-compose.yml, and the project name. */
  COMPOSE_PROJECT_DIR: z.string().default('.'),
  COMPOSE_PROJECT_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _')
    .optional(),
  COMPOSE_FILE: z.string().optional(),
  OPS_PORT: port(0),
  OPS_HOST: z.string().default('127.0.0.1'),
});
export type AutoscalerEnv = z.infer<typeof AutoscalerEnv>;
