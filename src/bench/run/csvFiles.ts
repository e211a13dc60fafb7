import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseString, writeToString } from 'fast-csv';
import { InputError, writeFileAtomic } from '../../core/index.js';

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
  return parseCsv(readFileSync(path, 'utf8'));
}

function parseCsv(text: string): Promise<{ columns: string[]; records: Record_[] }> {
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

  /**
   * Opens a file to go on appending to it. Complete lines stay; a torn last line (a crash in the
   * middle of a write) is cut off; a missing or empty file gets the header. A file with other
   * columns is refused. Returns the records already there.
   */
  static async resume(path: string, columns: readonly string[]): Promise<{ log: AppendOnlyCsv; records: Record_[] }> {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (!complete) return { log: await AppendOnlyCsv.create(path, columns), records: [] };
    const parsed = await parseCsv(complete);
    if (parsed.columns.join(',') !== columns.join(',')) throw new InputError(path, `has other columns than this run writes (${parsed.columns.length} vs ${columns.length}); use another output folder`);
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, Buffer.byteLength(complete));
    closeSync(fd);
    return { log: new AppendOnlyCsv(openSync(path, 'a'), columns), records: parsed.records };
  }

  async append(record: Record_): Promise<void> {
    const text = await writeToString([record], { headers: this.columns as string[], writeHeaders: false, includeEndRowDelimiter: true });
    writeSync(this.fd, text);
  }

  close(): void {
    closeSync(this.fd);
  }
}
