import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSweep } from '../../src/bench/index.js';
import { ROOT } from '../cli/helpers.js';

const dir = join(ROOT, 'scenes', 'sweeps');

describe('the shipped sweep specs', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('%s resolves: its tasks, policies and models load', async (file) => {
    const sweep = await resolveSweep(join(dir, file));
    expect(sweep.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sweep.spec.policies.length).toBeGreaterThan(0);
  });
});
