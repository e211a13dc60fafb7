import { mkdirSync } from 'node:fs';
import { InputError } from '../../core/index.js';

/** Creates the output folder; a folder that cannot be made is the user's error. */
export function prepareOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new InputError('--out', `cannot create ${outDir} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
