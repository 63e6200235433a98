import cliProgress from 'cli-progress';

export interface Progress {
  update(phase: string, percent?: number): void;
  stop(): void;
}

/** A progress bar on a terminal (stderr); silent when output is piped or in CI logs. */
export function progressBar(label: string): Progress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {phase}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { phase: 'starting' });
  let last = 0;
  return {
    update(phase, percent) {
      if (percent !== undefined) last = Math.max(0, Math.min(100, Math.round(percent)));
      bar.update(last, { phase });
    },
    stop() {
      bar.stop();
    },
  };
}
