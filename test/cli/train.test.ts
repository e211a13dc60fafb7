import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sam2grasp, sam2graspWith, tempDir } from './helpers.js';
import { stepCounter } from '../../src/cli/trainPerception.js';

describe('sam2grasp train: bad flags get one line, exit code 2 and no output', () => {
  const dir = tempDir();
  it.each([
    ['an unknown head', ['--only', 'act,diffusion'], /--only: unknown head "diffusion"/],
    ['an unknown loss', ['--loss', 'huber'], /--loss: expected l1 or mse, got "huber"/],
    ['an empty seed', ['--seed='], /--seed: expected a non-empty name/],
    ['an unknown diffusion target', ['--prediction', 'v'], /--prediction: expected epsilon, sample, v_prediction, got "v"/],
    ['a Min-SNR gamma of 0', ['--min-snr-gamma', '0'], /--min-snr-gamma: must be between 1 and 100, got 0/],
    ['a task named twice', ['--task', 'cubes,cubes'], /--task: task "cubes" is named twice/],
    ['fewer demonstrations than tasks', ['--task', 'cubes,pile', '--demos', '1'], /--demos: must be between 2 and 100000, got 1/],
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

describe('sam2grasp train: the held-out rule', () => {
  it('refuses demonstrations on an evaluation key, naming it, before anything is trained', () => {
    const work = tempDir('held-out-');
    const collected = sam2grasp(['collect', '--task', 'cubes', '--demos', '1', '--objects', '1', '--out', join(work, 'demos')]);
    expect(collected.code, collected.stderr).toBe(0);
    const index = join(work, 'demos', 'demos.jsonl');
    writeFileSync(index, readFileSync(index, 'utf8').replace('"index":1000000', '"index":7'));
    const out = join(work, 'heads');
    const result = sam2grasp(['train', '--task', 'cubes', '--demos', '1', '--work', work, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^sam2grasp: .*demos: demonstration cubes\/1\/0\/7 is an evaluation key \(index 7 < 1000000\): demonstrations and evaluation must not share scenes$/);
    expect(existsSync(out) || existsSync(join(work, 'cache'))).toBe(false);
  });
});

describe('sam2grasp train-perception without PyTorch', () => {
  it('says in one line what is missing and how to install it, exit code 2, nothing written', () => {
    // Debian's interpreter without its site packages: as on a machine without python3-torch.
    const dir = tempDir();
    const python = join(dir, 'python3');
    writeFileSync(python, '#!/bin/sh\nexec python3 -S -I "$@"\n');
    chmodSync(python, 0o755);
    const work = join(dir, 'frames');
    const result = sam2graspWith({ SAM2GRASP_PYTHON: python }, ['train-perception', '--work', work, '--out', join(dir, 'tracker')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^sam2grasp: train-perception: (torch|onnx|numpy|torch or onnx) is missing: apt-get install python3-torch python3-onnx libopenblas0-pthread$/m);
    expect(existsSync(work) || existsSync(join(dir, 'tracker'))).toBe(false);
  });
});

describe('train-perception progress', () => {
  it('counts steps over the stages of the training script', () => {
    const count = stepCounter();
    expect(count('step 1/800 loss 2.0 (bce 0.6) 2 s')).toEqual({ done: 1, status: 'loss 2.0 (bce 0.6) 2 s' });
    expect(count('thresholds: mask 0.5')).toBeNull();
    const staged = stepCounter();
    expect(staged('main step 800/800 loss 0.2 1000 s')?.done).toBe(800);
    expect(staged('finetune step 25/300 loss 0.3 1040 s')?.done).toBe(825);
    expect(staged('finetune step 300/300 loss 0.3 1400 s')?.done).toBe(1100);
    expect(staged('finetune2 step 1/300 loss 0.3 1402 s')?.done).toBe(1101);
  });
});
