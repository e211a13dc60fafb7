import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseString, writeToString } from 'fast-csv';
import { writeFileAtomic } from './writeFileAtomic.js';

type Record_ = Record<string, string>;

/** CSV text of the records under the given columns, header first, `\n` line ends. */
export function csvText(columns: readonly string[], records: readonly Record_[]): Promise<string> {
  return writeToString(records as Record_[], { headers: columns as string[], includeEndRowDelimiter: true, alwaysWriteHeaders: true });
}

/** Writes a whole CSV file atomically: a reader sees the old file or the new one, never half. */
export async function writeCsvAtomic(path: string, columns: readonly string[], records: readonly Record_[]): Promise<void> {
  writeFileAtomic(path, await csvText(columns, records));
}

/** Reads a CSV file with a header line into records of strings. */
export function readCsv(path: string): Promise<{ columns: string[]; records: Record_[] }> {
  const text = readFileSync(path, 'utf8');
  return new Promise((resolve, reject) => {
    const records: Record_[] = [];
    let columns: string[] = [];
    parseString(text, { headers: (h) => ((columns = h as string[]), h) })
      .on('error', reject)
      .on('data', (r: Record_) => records.push(r))
      .on('end', () => resolve({ columns, records }));
  });
}

/**
 * An append-only CSV file: the header on creation, then one complete line per `append`, each
 * written with a single write call as soon as its episode ends, so a crash loses at most the
 * episode in flight.
 */
export class AppendOnlyCsv {
  private readonly fd: number;

  private constructor(fd: number, private readonly columns: readonly string[]) {
    this.fd = fd;
  }

  /** Creates (or truncates) the file and writes the header. */
  static async create(path: string, columns: readonly string[]): Promise<AppendOnlyCsv> {
    const fd = openSync(path, 'w');
    writeSync(fd, await csvText(columns, []));
    return new AppendOnlyCsv(fd, columns);
  }

  async append(record: Record_): Promise<void> {
    const text = await writeToString([record], { headers: this.columns as string[], writeHeaders: false, includeEndRowDelimiter: true });
    writeSync(this.fd, text);
  }

  close(): void {
    closeSync(this.fd);
  }
}
