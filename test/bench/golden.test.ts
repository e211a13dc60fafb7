import { afterAll, describe, expect, it } from 'vitest';
import { runEpisode, toEpisodeRow } from '../../src/bench/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { ScriptedExpert } from '../../src/policy/index.js';

/**
 * Golden values: the exact physics state of fixed episodes, at reset and at the end of the
 * expert's run. They change only when the scene, the physics or the expert change on purpose;
 * then update them here, in the same commit, and say why.
 */
const GOLDEN = [
  { task: 'cubes', objects: { min: 3, max: 6 }, index: 0, reset: '756920bc72f2b829', final: '0889bcbe82540012', target: 'cube_purple', steps: '28' },
  { task: 'pile', objects: { min: 8, max: 8 }, index: 4, reset: 'd4469f9a5cf1376d', final: '573ede1740155e2b', target: 'convex_3', steps: '29' },
  { task: 'lookalike', objects: { min: 3, max: 6 }, index: 0, reset: '319eed883595fc1e', final: '9caf93694873a25e', target: 'twin_blue', steps: '29' },
  { task: 'lookalike2', objects: { min: 3, max: 6 }, index: 0, reset: '0044624f86fed060', final: '986f451198b25d8e', target: 'twin_blue', steps: '29' },
  { task: 'unseen', objects: { min: 4, max: 8 }, index: 0, reset: '1f3ccd4d3a5d85ea', final: '566b143adceb0451', target: 'box_block', steps: '30' },
  // nudge: the reset state holds the pusher's paddle too; the expert re-approaches the pushed target.
  { task: 'nudge', objects: { min: 3, max: 6 }, index: 0, reset: '7de5ab1a44b50e8c', final: '49dfa279010f9045', target: 'cube_yellow', steps: '35' },
];

const envs: GraspEnv[] = [];
afterAll(() => envs.forEach((e) => e.close()));

describe('golden episodes', () => {
  it.each(GOLDEN)('$task episode $index replays to the bit', async (g) => {
    const env = await GraspEnv.create(loadTask(g.task));
    envs.push(env);
    const key = { task: g.task, objects: g.objects, occlusion: 0, index: g.index };
    env.reset(key);
    expect(env.stateHash()).toBe(g.reset);
    const row = toEpisodeRow(await runEpisode(env, new ScriptedExpert(), key));
    expect(row).toMatchObject({ target_name: g.target, steps: g.steps, success_target: '1', state_hash: g.final });
  });
});
