import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OBSERVATION_ROLES, type ObservationRole } from '../../src/config/index.js';
import { policyRng, type EpisodeKey } from '../../src/core/index.js';
import { GraspEnv, loadTask, type Observation } from '../../src/env/index.js';
import { boxWhere, conditionedFeatures, DEFAULT_TRACKER, FeatureEncoder, loadPerception, type Box } from '../../src/perception/index.js';
import { groundTruthOf, loadOnnxPolicy, robotInfoOf } from '../../src/policy/index.js';
import { SEGMENT_IDS } from '../../src/render/index.js';
import { ROOT, tempDir } from '../cli/helpers.js';
import { stats, writeStatModel } from './statModel.js';

const task = loadTask('cubes');
const env = await GraspEnv.create(task);
afterAll(() => env.close());
const MODELS = join(ROOT, 'assets', 'models');
const TRACKER = join(MODELS, 'tracker', 'tracker.json');
const perception = () => loadPerception(DEFAULT_TRACKER, task.spec, TRACKER);
const KEY: EpisodeKey = { task: 'cubes', objects: { min: 4, max: 4 }, occlusion: 0, index: 7 };
const { width: W, height: H } = task.spec.cameras.scene;

/** The detector's box without its noise: the target's tight box in the true ids at t = 0. */
function targetBox(): Box {
  const ids = env.trueFrames().scene.ids;
  const target = SEGMENT_IDS.objectBase + env.privileged().target;
  return boxWhere(W, H, (i) => ids[i] === target)!;
}

/** Runs the role's statistics model for one step of a real episode; returns what it reported and the observation it saw. */
async function reported(role: ObservationRole, shape: number[], extra: Record<string, unknown> = {}) {
  const policy = await loadOnnxPolicy(writeStatModel(tempDir('role-'), role, shape, extra), { modelsDir: MODELS, perception, spec: task.spec });
  const { observation } = env.reset(KEY);
  const prompt = targetBox();
  await policy.reset({ robot: robotInfoOf(env), rng: policyRng(KEY), prompt, groundTruth: policy.privileged ? groundTruthOf(env) : undefined }, observation);
  const [action] = await policy.act(observation);
  return { got: { mean: action.x, ramp: action.y }, observation, prompt };
}

/** What each role should carry, computed here from the observation the policy saw, by other code than the harness's. */
const EXPECTED: Record<Exclude<ObservationRole, 'observation.features' | 'observation.prompt.mask'>, [number[], (o: Observation, box: Box) => ArrayLike<number>]> = {
  'observation.images.scene': [[1, 3, H, W], (o) => channelMajor(o.frames.scene.rgb, W * H)],
  'observation.images.wrist': [[1, 3, H, W], (o) => channelMajor(o.frames.wrist.rgb, W * H)],
  'observation.depth.scene': [[1, 1, H, W], (o) => Array.from(o.frames.scene.depth, (d) => (d === Infinity ? 0 : d))],
  'observation.depth.wrist': [[1, 1, H, W], (o) => Array.from(o.frames.wrist.depth, (d) => (d === Infinity ? 0 : d))],
  'observation.intrinsics.scene': [[1, 4], (o) => [o.cameras.scene.intrinsics.fx, o.cameras.scene.intrinsics.fy, o.cameras.scene.intrinsics.cx, o.cameras.scene.intrinsics.cy]],
  'observation.intrinsics.wrist': [[1, 4], (o) => [o.cameras.wrist.intrinsics.fx, o.cameras.wrist.intrinsics.fy, o.cameras.wrist.intrinsics.cx, o.cameras.wrist.intrinsics.cy]],
  'observation.extrinsics.scene': [[1, 4, 4], (o) => transpose4(o.cameras.scene.cameraToWorld)],
  'observation.extrinsics.wrist': [[1, 4, 4], (o) => transpose4(o.cameras.wrist.cameraToWorld)],
  'observation.state': [[1, 7], (o) => [o.proprio.palm.x, o.proprio.palm.y, o.proprio.palm.z, o.proprio.palm.yaw, o.proprio.opening, o.proprio.gripForce, o.proprio.gripper]],
  'observation.prompt.box': [[1, 4], (_, b) => [b.x0, b.y0, b.x1, b.y1]],
};

function channelMajor(rgb: Uint8Array, n: number): number[] {
  return [0, 1, 2].flatMap((c) => Array.from({ length: n }, (_, i) => rgb[3 * i + c] / 255));
}

function transpose4(columnMajor: Float64Array): number[] {
  return Array.from({ length: 16 }, (_, i) => columnMajor[(i % 4) * 4 + Math.floor(i / 4)]);
}

function expectStats(got: { mean: number; ramp: number }, values: ArrayLike<number>): void {
  const want = stats(values);
  expect(got.mean).toBeCloseTo(want.mean, 4);
  expect(got.ramp).toBeCloseTo(want.ramp, 4);
}

describe('every observation role reaches a model as the contract says', () => {
  it('covers every role of the contract', () => {
    expect([...Object.keys(EXPECTED), 'observation.prompt.mask', 'observation.features'].sort()).toEqual([...OBSERVATION_ROLES].sort());
  });

  it.each(Object.entries(EXPECTED))('%s', async (role, [shape, expected]) => {
    const prompted = role.startsWith('observation.prompt') ? { prompted: true } : {};
    const { got, observation, prompt } = await reported(role as ObservationRole, shape, prompted);
    expectStats(got, expected(observation, prompt));
  });

  it('observation.prompt.mask: the learned tracker\'s mask of the prompted target', async () => {
    const { got, observation, prompt } = await reported('observation.prompt.mask', [1, 1, H, W], { prompted: true });
    const tracker = await (await perception()).tracker(policyRng(KEY).stream('tracker'));
    const { mask } = await tracker.init(observation.frames.scene, prompt);
    expect(mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expectStats(got, mask);
  });

  it('observation.features: the frozen encoder\'s conditioned features of the first contract', async () => {
    const encoder = await FeatureEncoder.load(join(MODELS, 'encoder.json'));
    const extra = { encoder: join(MODELS, 'encoder.json') };
    const { got, observation } = await reported('observation.features', [1, 2484], extra);
    const frame = observation.frames.scene;
    const features = await conditionedFeatures('none', encoder, frame, null, await (await perception()).foreground(frame), observation.cameras.scene);
    expectStats(got, features);
  });
});
