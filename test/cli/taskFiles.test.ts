import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sam2grasp, tempDir } from './helpers.js';

describe('task files that cannot be: one line naming the culprit, exit code 2, nothing written', () => {
  const dir = tempDir('tasks-');
  const task = (name: string, body: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };

  const CUBES = { id: 'x', objects: { count: 3, pool: ['cubes'] } };

  it.each([
    ['a pusher aimed out of the bin', task('far', { ...CUBES, pusher: { distance: { min: 0.1, max: 0.2 } } }), /far\.json: pusher\.distance\.max: 20\.0 cm pushes objects out of the bin: the 30\.0 cm bin leaves "cube_\w+" at most 10\.5 cm/],
    ['a pusher distance beyond the schema', task('huge', { ...CUBES, pusher: { distance: { min: 0.1, max: 2 } } }), /huge\.json: pusher\.distance\.max: Too big: expected number to be <=0\.5 \(got 2\)/],
    ['a pusher start window after the horizon', task('late', { ...CUBES, pusher: { start: { min: 1, max: 30 } } }), /late\.json: pusher\.start\.max: 30 s is not before the episode ends \(control\.horizon: 12 s\)/],
    ['a pusher that pushes something unknown', task('what', { ...CUBES, pusher: { pushes: 'hand' } }), /what\.json: pusher\.pushes: /],
    ['a misspelt pusher field', task('typo', { ...CUBES, pusher: { sped: 0.2 } }), /typo\.json: pusher\.sped: unknown field \(did you mean "speed"\?\)/],
    ['a look-alike task with more twins than the bin can hold', task('crowded', { id: 'crowded', objects: { count: 30, pool: ['lookalike'] } }), /crowded\.json: objects\.count: 30 of the largest objects in this pool need \d+ cm² of the 900 cm² bin floor/],
  ])('%s', (_, path, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const result = sam2grasp(['eval', '--task', path, '--episodes', '1', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
