import type { Logger } from './logger';

type Step = { name: string; run: () => Promise<unknown> | unknown };

/**
 * Ordered clean-up on SIGTERM/SIGINT. Steps run in reverse order of registration (what started
 * last stops first), each awaited; the whole sequence is bounded by `deadlineMs`, after which the
 * process exits non-zero rather than hang.
 */
export function createShutdown(logger: Logger, deadlineMs = 25_000) {
  const steps: Step[] = [];
  let running: Promise<void> | null = null;

  async function run(reason: string): Promise<void> {
    if (running) return running;
    running = (async () => {
      logger.info('shutting down', { reason });
      const timer = setTimeout(() => {
        logger.error('shutdown deadline passed; exiting', { deadlineMs });
        process.exit(1);
      }, deadlineMs);
      timer.unref();
      for (const step of [...steps].reverse()) {
        try {
          await step.run();
          logger.debug('shutdown step done', { step: step.name });
        } catch (error) {
          logger.error('shutdown step failed', { step: step.name, error });
        }
      }
      clearTimeout(timer);
      logger.info('shutdown complete');
    })();
    return running;
  }

  return {
    /** Adds a clean-up step; later registrations run first. */
    add(name: string, fn: () => Promise<unknown> | unknown): void {
      steps.push({ name, run: fn });
    },
    run,
    get started(): boolean {
      return running !== null;
    },
    /** Runs the steps on SIGTERM/SIGINT, then exits 0. */
    installSignalHandlers(): void {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          void run(signal).then(() => process.exit(0));
        });
      }
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;
