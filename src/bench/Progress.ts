import cliProgress from 'cli-progress';

/**
 * Progress of a long run: a live bar on a terminal, plain log lines elsewhere (CI logs, files),
 * at most one every tenth of the run or every 15 seconds. Writes to stderr, so stdout keeps only
 * the results.
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
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.bar = stream.isTTY
      ? new cliProgress.SingleBar(
          { stream, format: `${label} [{bar}] {value}/{total} episodes | success {rate}% | eta {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { rate: '-' });
  }

  /** One episode finished. */
  tick(success: boolean): void {
    this.done++;
    if (success) this.successes++;
    const rate = ((100 * this.successes) / this.done).toFixed(1);
    if (this.bar) {
      this.bar.update(this.done, { rate });
      return;
    }
    const tenth = Math.floor((10 * this.done) / this.total);
    if (tenth > this.lastLine || Date.now() - this.lastLoggedAt > 15_000 || this.done === this.total) {
      this.lastLine = tenth;
      this.lastLoggedAt = Date.now();
      this.stream.write(`${this.label}: ${this.done}/${this.total} episodes, success ${rate}%\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
