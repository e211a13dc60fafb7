import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/bench/index.js';
import { sam2grasp, tempDir } from './helpers.js';

describe('sam2grasp eval --task nudge', () => {
  const dir = tempDir('nudge-');

  it('writes the same bytes twice, with the pre-push distance filled where a push took place', async () => {
    const run = (out: string) => sam2grasp(['eval', '--task', 'nudge', '--episodes', '4', '--occlusion', '0.3', '--occlusion-mode', 'windows:5', '--workers', '2', '--out', join(dir, out)]);
    const first = run('a');
    expect(first.code, first.stderr).toBe(0);
    expect(run('b').code).toBe(0);
    const bytes = readFileSync(join(dir, 'a', 'episodes.csv'));
    expect(readFileSync(join(dir, 'b', 'episodes.csv')).equals(bytes)).toBe(true);
    const { records } = await readCsv(join(dir, 'a', 'episodes.csv'));
    // Keys 0-3 of nudge all push (see test/sim/Pusher.test.ts); the expert closes where the target went.
    for (const r of records) {
      expect(r.closing_to_prepush_m, `key ${r.index}`).toMatch(/^0\.0\d{3}$/);
      expect(Number(r.closing_to_prepush_m)).toBeGreaterThan(0.02);
      expect(Number(r.grasp_error_m)).toBeLessThan(0.005);
    }
  });

  it('leaves the column empty on a task without a pusher', async () => {
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '2', '--out', join(dir, 'cubes')]);
    expect(result.code, result.stderr).toBe(0);
    const { records } = await readCsv(join(dir, 'cubes', 'episodes.csv'));
    expect(records.map((r) => r.closing_to_prepush_m)).toEqual(['', '']);
  });
});
