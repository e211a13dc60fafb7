import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEARNED_POLICIES, loadTask, modelsDir, policyFor, runEpisode } from '../../src/bench/index.js';
import { GraspEnv } from '../../src/env/index.js';

const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());

/** The contract test, over every shipped head (LeRobot's habit: one test, every policy). */
describe.each(LEARNED_POLICIES.map((name) => [name]))('shipped policy %s', (name) => {
  it('ships its head, manifest and training record, small, with a passing parity check', () => {
    const dir = modelsDir();
    for (const file of [`${name}.onnx`, `${name}.json`, `training-${name}.json`]) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, `${name}.onnx`)).length).toBeLessThan(5 * 2 ** 20);
    const record = JSON.parse(readFileSync(join(dir, `training-${name}.json`), 'utf8'));
    expect(record.parityMaxAbsDiff).toBeLessThan(1e-4);
    expect(record.losses.length).toBeGreaterThan(0);
  });

  it('loads under its contract and runs an episode to a verdict', async () => {
    const policy = await policyFor(name, env.task);
    const result = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 0 });
    expect(result.outcome.failureReason === null || typeof result.outcome.failureReason === 'string').toBe(true);
    expect(result.steps).toBeGreaterThan(0);
  });
});
