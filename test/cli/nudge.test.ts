import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('bad pusher input: one line naming the culprit, exit code 2, nothing written', () => {
  const dir = tempDir('nudge-bad-');
  const task = (name: string, body: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };
  const cubes = { id: 'x', objects: { count: 3, pool: ['cubes'] } };

  it.each([
    ['a pusher aimed out of the bin', task('far', { ...cubes, pusher: { distance: { min: 0.1, max: 0.2 } } }), /far\.json: pusher\.distance\.max: 20\.0 cm pushes objects out of the bin: the 30\.0 cm bin leaves "cube_\w+" at most 10\.5 cm/],
    ['a pusher distance beyond the schema', task('huge', { ...cubes, pusher: { distance: { min: 0.1, max: 2 } } }), /huge\.json: pusher\.distance\.max: Too big: expected number to be <=0\.5 \(got 2\)/],
    ['a pusher start window after the horizon', task('late', { ...cubes, pusher: { start: { min: 1, max: 30 } } }), /late\.json: pusher\.start\.max: 30 s is not before the episode ends \(control\.horizon: 12 s\)/],
    ['a pusher that pushes something unknown', task('what', { ...cubes, pusher: { pushes: 'hand' } }), /what\.json: pusher\.pushes: /],
    ['a misspelt pusher field', task('typo', { ...cubes, pusher: { sped: 0.2 } }), /typo\.json: pusher\.sped: unknown field \(did you mean "speed"\?\)/],
  ])('%s', (_, path, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const result = sam2grasp(['eval', '--task', path, '--episodes', '1', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
