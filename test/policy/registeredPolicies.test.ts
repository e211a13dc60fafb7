import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelsDir, policyFor, runEpisode } from '../../src/bench/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { loadPolicyManifest } from '../../src/config/index.js';
import { LEARNED_POLICIES, policyNames } from '../../src/policy/index.js';

const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());

/** What every shipped head brings with it. */
describe.each(LEARNED_POLICIES.map((name) => [name]))('shipped policy %s', (name) => {
  it('ships its head, manifest and training record, small, with a passing parity check', () => {
    const dir = modelsDir();
    for (const file of [`${name}.onnx`, `${name}.json`, `training-${name}.json`]) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, `${name}.onnx`)).length).toBeLessThan(5 * 2 ** 20);
    const record = JSON.parse(readFileSync(join(dir, `training-${name}.json`), 'utf8'));
    expect(record.parityMaxAbsDiff).toBeLessThan(1e-4);
    expect(record.losses.length).toBeGreaterThan(0);
  });

});

/** The contract test, over every registered policy (LeRobot's habit: one test, every policy). */
describe.each(policyNames(modelsDir()).map((name) => [name]))('registered policy %s', (name) => {
  it('loads under its contract, honest about what it reads, and runs an episode to a verdict', async () => {
    const policy = await policyFor(name, env.task);
    expect(policy.name).toBe(name);
    const learned = name !== 'expert';
    expect(policy.privileged).toBe(!learned);
    expect(policy.perception).toBe(learned ? 'learned' : undefined);
    if (learned) expect(policy.prompted).toBe(loadPolicyManifest(join(modelsDir(), `${name}.json`)).prompted);
    const result = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 0 });
    expect(result.outcome.failureReason === null || typeof result.outcome.failureReason === 'string').toBe(true);
    expect(result.steps).toBeGreaterThan(0);
    expect(result.perception).toBe(learned ? 'learned' : '');
  });
});

describe('the registry', () => {
  it('has the expert and every shipped head, and names them when asked for another', async () => {
    expect(policyNames(modelsDir())).toEqual(['expert', ...LEARNED_POLICIES]);
    await expect(policyFor('acts', env.task)).rejects.toThrow(/--policy: unknown policy "acts" \(known: expert, act, act-cvae, act-condition, sam2grasp, dp, dp-prompted, or onnx:path\/to\/manifest\.json\)/);
  });
});
