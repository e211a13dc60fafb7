import { afterAll, describe, expect, it } from 'vitest';
import { detectPrompt, learnedTrackerManifest, modelsDir } from '../../src/bench/index.js';
import { policyRng, Rng, type EpisodeKey } from '../../src/core/index.js';
import { GraspEnv, loadTask, type Action, type Env, type PerCamera, type PrivilegedState } from '../../src/env/index.js';
import { loadPerception, type TrackerChoice } from '../../src/perception/index.js';
import { groundTruthOf, LEARNED_POLICIES, OnnxChunkPolicy } from '../../src/policy/index.js';
import { SEGMENT_IDS, type Frame } from '../../src/render/index.js';

/**
 * The proof that learned policies see sensors only. Every shipped learned policy runs twice on
 * the same keys: once beside the true ground-truth channel, once beside a scrambled one (segment
 * ids permuted and partly zeroed, poses moved, another target), and the channel is handed to the
 * policy either way, whether it declares `privileged` or not. Only the t = 0 prompt box is held
 * fixed: the detector reads the ground truth, since it names the target. Every action chunk must
 * come out bit-identical. The same test, pointed at the oracle tracker, must see them differ.
 */
const task = loadTask('cubes');
const env = await GraspEnv.create(task);
afterAll(() => env.close());
const STEPS = 12;
const keys: EpisodeKey[] = [0, 1].map((index) => ({ task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index }));

/** The ground-truth channel, scrambled: a different permutation of the object ids at every call, poses moved. */
function scrambled(inner: Env, rng: Rng) {
  const frames = (): PerCamera<Frame> => {
    const truth = inner.trueFrames();
    const scramble = (frame: Frame): Frame => {
      const ids = frame.ids.map((id) => (id >= SEGMENT_IDS.objectBase ? (rng.next() < 0.3 ? 0 : SEGMENT_IDS.objectBase + rng.int(0, 7)) : id));
      return { ...frame, ids };
    };
    return { scene: scramble(truth.scene), wrist: scramble(truth.wrist) };
  };
  const state = (): PrivilegedState => {
    const s = inner.privileged();
    const objects = s.objects.map((o) => ({ ...o, position: { x: o.position.x + rng.uniform(-0.05, 0.05), y: o.position.y + rng.uniform(-0.05, 0.05), z: o.position.z } }));
    return { ...s, objects, target: (s.target + 1) % s.objects.length };
  };
  return { state, frames };
}

/** Every chunk a policy returns over the first steps of each key, executing its first action. */
async function chunks(name: string, tracker: TrackerChoice, scramble: boolean): Promise<Action[][]> {
  const perception = await loadPerception(tracker, task.spec, learnedTrackerManifest());
  const policy = await OnnxChunkPolicy.load(`${modelsDir()}/${name}.json`, { controlHz: task.spec.control.controlHz, cameras: task.spec.cameras }, async () => perception);
  const out: Action[][] = [];
  for (const key of keys) {
    let { observation, info } = env.reset(key);
    const prompt = detectPrompt(env, key, info) ?? undefined;
    const groundTruth = scramble ? scrambled(env, new Rng(`scramble/${key.index}`)) : groundTruthOf(env);
    const robot = { controlHz: 10, maxOpening: task.spec.gripper.maxOpening, maxSpeed: task.spec.gripper.maxSpeed, maxYawRate: task.spec.gripper.maxYawRate };
    await policy.reset({ robot, rng: policyRng(key), groundTruth, prompt }, observation);
    for (let t = 0; t < STEPS; t++) {
      const chunk = await policy.act(observation);
      out.push(chunk);
      const result = env.step(chunk[0]);
      if (result.outcome) break;
      observation = result.observation;
    }
  }
  return out;
}

const bits = (all: Action[][]) => all.map((c) => c.map((a) => [a.x, a.y, a.z, a.yaw, a.gripper].map((v) => Buffer.from(Float64Array.of(v).buffer).toString('hex')).join()).join('|'));

describe('learned policies are blind to the ground truth', () => {
  for (const name of LEARNED_POLICIES) {
    it(`${name} with the learned tracker: scrambling the ground-truth channel changes no action chunk`, async () => {
      const truthful = await chunks(name, { kind: 'learned' }, false);
      const blind = await chunks(name, { kind: 'learned' }, true);
      expect(truthful.length).toBeGreaterThan(STEPS);
      expect(bits(blind)).toEqual(bits(truthful));
    });
  }

  it('tells a leak from none: sam2grasp with the oracle tracker reads the scrambled ids, and its chunks change', async () => {
    const truthful = await chunks('sam2grasp', { kind: 'oracle' }, false);
    const scrambledRun = await chunks('sam2grasp', { kind: 'oracle' }, true);
    expect(bits(scrambledRun)).not.toEqual(bits(truthful));
  });

  it('act with the oracle perception reads the scrambled ids for its scene token, and its chunks change', async () => {
    const truthful = await chunks('act', { kind: 'oracle' }, false);
    const scrambledRun = await chunks('act', { kind: 'oracle' }, true);
    expect(bits(scrambledRun)).not.toEqual(bits(truthful));
  });
});
