/** Runs replicas of a service somewhere (docker compose, processes on this machine). */
export interface Scaler {
  readonly kind: string;
  /** Replicas running now. */
  replicas(service: string): Promise<number>;
  /** Starts or stops replicas until `count` run. */
  scaleTo(service: string, count: number): Promise<void>;
  /** Releases what the scaler holds (the local scaler stops the processes it started). */
  close(): Promise<void>;
}
