import { renameSync, writeFileSync } from 'node:fs';

/** Writes to a temporary file beside `path`, then renames it over `path`: all or nothing. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
