import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { InputError } from '../../core/index.js';
import { decodeMotion, EMPTY_RECORD, motionRecords } from './motionCodec.js';

/**
 * `motion.bin`, append-only beside `episodes.csv`: one record per row, in the rows' order, each
 * written with one call before its row, so a crash leaves at least as many records as rows.
 */
export class MotionLog {
  private constructor(private readonly fd: number) {}

  /**
   * Opens the file to go on appending after the rows already written (`units`: their unit ids):
   * their records stay, records past them (an episode whose row never landed) are cut off, and
   * rows without one (run with `--no-record`) get empty records. A record of another row is refused.
   */
  static resume(path: string, units: readonly string[]): MotionLog {
    const records = existsSync(path) ? motionRecords(readFileSync(path)) : [];
    records.slice(0, units.length).forEach((record, i) => {
      const unit = decodeMotion(record)?.unit;
      if (unit !== undefined && unit !== units[i]) throw new InputError(path, `record ${i + 1} is of ${unit}, not of episodes.csv's row ${units[i]}; use a fresh folder`);
    });
    const kept = records.slice(0, units.length).reduce((n, r) => n + r.length, 0);
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    ftruncateSync(fd, kept);
    closeSync(fd);
    const log = new MotionLog(openSync(path, 'a'));
    for (let i = records.length; i < units.length; i++) log.append(EMPTY_RECORD);
    return log;
  }

  append(record: Uint8Array): void {
    writeSync(this.fd, record);
  }

  close(): void {
    closeSync(this.fd);
  }
}
