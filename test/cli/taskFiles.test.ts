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

  it.each([
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
