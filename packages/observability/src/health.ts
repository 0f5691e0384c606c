/** A readiness dependency check: resolves when healthy, rejects with a reason otherwise. */
export type HealthCheck = () => Promise<unknown>;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, 'ok' | string>;
}

/**
 * Liveness says the process runs; readiness says it can serve (dependencies answer and it is not
 * shutting down). Framework-free: the caller maps `status` to 200/503.
 */
export function createHealth(checks: Record<string, HealthCheck>, timeoutMs = 2_000) {
  let draining = false;
  return {
    /** Marks the process as shutting down: readiness fails so load balancers stop sending work. */
    setDraining(): void {
      draining = true;
    },
    liveness(): HealthReport {
      return { status: 'ok', checks: {} };
    },
    async readiness(): Promise<HealthReport> {
      const results: Record<string, string> = {};
      if (draining) results.shutdown = 'draining';
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) => {
                timer = setTimeout(
                  () => reject(new Error(`timed out after ${timeoutMs} ms`)),
                  timeoutMs,
                );
              }),
            ]);
            results[name] = 'ok';
          } catch (error) {
            results[name] = error instanceof Error ? error.message : String(error);
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      const ok = Object.values(results).every((value) => value === 'ok');
      return { status: ok ? 'ok' : 'unavailable', checks: results };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
