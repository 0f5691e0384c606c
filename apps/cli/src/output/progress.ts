import cliProgress from 'cli-progress';
import type { Colors } from './terminal';

/** Progress of a long step, on stderr. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, detail?: string): void;
  stop(): void;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 1) return '<1s';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * A bar with ETA on a terminal; on a pipe or log file (no TTY), a plain line at every tenth of the
 * way so logs stay readable. `enabled: false` prints nothing.
 */
export function createProgress(options: {
  stream: NodeJS.WriteStream;
  colors: Colors;
  enabled: boolean;
  unit?: string;
  formatValue?: (value: number) => string;
}): Progress {
  const unit = options.unit ?? 'files';
  const fmt = options.formatValue ?? String;
  if (!options.enabled) return { start() {}, update() {}, stop() {} };

  if (options.stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        format: (opts, params, payload: { label: string; detail: string }) => {
          const width = opts.barsize ?? 30;
          const filled = Math.round(params.progress * width);
          const bar =
            options.colors.green('█'.repeat(filled)) +
            options.colors.dim('░'.repeat(width - filled));
          const eta = params.value >= params.total ? 'done' : `ETA ${formatEta(params.eta)}`;
          return `${payload.label} ${bar} ${fmt(params.value)}/${fmt(params.total)} ${unit} · ${eta}${payload.detail ? ` · ${payload.detail}` : ''}`;
        },
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let running = false;
    return {
      start(total, label) {
        bar.start(total, 0, { label, detail: '' });
        running = true;
      },
      update(done, detail = '') {
        if (running) bar.update(done, { detail });
      },
      stop() {
        if (running) bar.stop();
        running = false;
      },
    };
  }

  let total = 0;
  let label = '';
  let started = 0;
  let lastTenth = -1;
  let lastLineAt = 0;
  return {
    start(t, l) {
      total = t;
      label = l;
      started = performance.now();
      lastTenth = -1;
      lastLineAt = started;
    },
    update(done, detail) {
      if (total <= 0) return;
      const tenth = Math.floor((done / total) * 10);
      const now = performance.now();
      // At most one line per tenth of the way and per second, plus the last one.
      if (done < total && (tenth === lastTenth || now - lastLineAt < 1_000)) return;
      if (done >= total && lastTenth === 10) return;
      lastTenth = tenth;
      lastLineAt = now;
      const elapsed = (performance.now() - started) / 1000;
      const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
      options.stream.write(
        `${label} ${fmt(done)}/${fmt(total)} ${unit} (${Math.round((done / total) * 100)}%)` +
          `${done < total ? `, ETA ${formatEta(eta)}` : ''}${detail ? ` · ${detail}` : ''}\n`,
      );
    },
    stop() {},
  };
}
