import { MOTION_CALLBACK } from './ReportData.js';

/**
 * Rows per motion chunk file: at about 1.6 KB a record (2.1 KB in base64), a chunk is a hundred-odd
 * KB, read in a blink from disk, and the page loads only the chunks of the episodes it replays.
 */
export const MOTION_CHUNK_ROWS = 64;

/**
 * The motion records of the rows as classic scripts, `MOTION_CHUNK_ROWS` records a file, each
 * calling `SAM2GRASP_MOTION(chunk, [base64, ...])`. Classic scripts, because a page opened from
 * disk (file://) may neither fetch() nor import modules in Chromium; a <script> tag it may add.
 */
export function motionChunkScripts(records: readonly Uint8Array[]): string[] {
  const scripts: string[] = [];
  for (let start = 0; start < records.length; start += MOTION_CHUNK_ROWS) {
    const encoded = records.slice(start, start + MOTION_CHUNK_ROWS).map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString('base64'));
    scripts.push(`${MOTION_CALLBACK}(${start / MOTION_CHUNK_ROWS}, ${JSON.stringify(encoded)});\n`);
  }
  return scripts;
}
