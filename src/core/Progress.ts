import cliProgress from 'cli-progress';

/**
 * Progress of a long run: a live bar on a terminal, plain log lines elsewhere (CI logs, files),
 * at most one every tenth of the run or every 15 seconds. Writes to stderr, so stdout keeps only
 * the results. Counts `unit`s (episodes by default); each step carries a short status, such as
 * the success rate so far or the training loss.
 */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private done = 0;
  private successes = 0;
  private lastLine = 0;
  private lastLoggedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'episodes',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.bar = stream.isTTY
      ? new cliProgress.SingleBar(
          { stream, format: `${label} [{bar}] {value}/{total} ${unit} | {status} | eta {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { status: '-' });
  }

  /** One episode finished: the status is the success rate so far. */
  tick(success: boolean): void {
    if (success) this.successes++;
    this.step(`success ${((100 * this.successes) / (this.done + 1)).toFixed(1)}%`);
  }

  /** One unit done, with the status to show beside the count. */
  step(status: string): void {
    this.advance(1, status);
  }

  /** Several units done at once, as reported by a job that logs every so many units. */
  advance(units: number, status: string): void {
    this.done += units;
    if (this.bar) {
      this.bar.update(this.done, { status });
      return;
    }
    const tenth = Math.floor((10 * this.done) / this.total);
    if (tenth > this.lastLine || Date.now() - this.lastLoggedAt > 15_000 || this.done === this.total) {
      this.lastLine = tenth;
      this.lastLoggedAt = Date.now();
      this.stream.write(`${this.label}: ${this.done}/${this.total} ${this.unit}, ${status}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** A progress bar for work whose total is known only once it starts: the bar appears on the first step. */
export function lazyProgress(label: string, unit: string): { step(total: number, status: string): void; stop(): void } {
  let progress: Progress | null = null;
  return {
    step(total, status) {
      progress ??= new Progress(label, total, unit);
      progress.step(status);
    },
    stop() {
      progress?.stop();
    },
  };
}

/** The bar of a feature-caching pass: demonstrations done, steps cached so far. */
export function cacheProgress(): { onDemo(done: number, total: number, rows: number): void; stop(): void } {
  const bar = lazyProgress('cache', 'demos');
  let steps = 0;
  return {
    onDemo(_done, total, rows) {
      steps += rows;
      bar.step(total, `${steps} steps cached`);
    },
    stop: () => bar.stop(),
  };
}

/** The bar of a resumable collection: the demonstrations still to store, and the episodes tried for them. */
export function collectionProgress(label: string, alreadyStored: number, demos: number): { onDemo(stored: number, tried: number): void; stop(): void } {
  const progress = new Progress(label, Math.max(0, demos - alreadyStored), 'demos');
  let last = alreadyStored;
  return {
    onDemo(stored, tried) {
      if (stored > last) progress.advance(stored - last, `${tried} episodes tried`);
      last = Math.max(last, stored);
    },
    stop: () => progress.stop(),
  };
}
