import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sam2grasp, tempDir } from './helpers.js';

describe('sam2grasp train: bad flags get one line, exit code 2 and no output', () => {
  const dir = tempDir();
  it.each([
    ['an unknown head', ['--only', 'act,diffusion'], /--only: unknown head "diffusion"/],
    ['an unknown loss', ['--loss', 'huber'], /--loss: expected l1 or mse, got "huber"/],
    ['an empty seed', ['--seed='], /--seed: expected a non-empty name/],
  ])('%s', (_, args, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const work = join(dir, `work-${Math.random().toString(36).slice(2)}`);
    const result = sam2grasp(['train', ...args, '--work', work, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out) || existsSync(work)).toBe(false);
  });
});
