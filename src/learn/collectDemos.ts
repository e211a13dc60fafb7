import { episodeRng, policyRng, Rng, type EpisodeKey, type PalmPose } from '../core/index.js';
import { cameraToWorldRows, CLOSING_COMMAND, GraspEnv, intrinsicsRow, type Action, type Observation } from '../env/index.js';
import { promptFor } from '../perception/index.js';
import { groundTruthOf, robotInfoOf, ScriptedExpert } from '../policy/index.js';
import { cloneFrame, objectSegmentId, type Frame } from '../render/index.js';
import type { Task } from '../sim/index.js';
import { DemoStore, type DemoCameras } from './DemoStore.js';

/** Demonstrations use episode indices from here on, so they never overlap the evaluation keys (0, 1, 2, ...). */
export const DEMO_INDEX_BASE = 1_000_000;

export interface CollectOptions {
  task: Task;
  objects: EpisodeKey['objects'];
  demos: number;
  /** Share of demos whose executed actions carry DART noise (the expert corrects it). */
  noisyShare: number;
  /**
   * Share of demos with a single object, the rest drawing their count from `objects`: scenes
   * where nothing is ambiguous, in which a head not told the target can still learn to read
   * where an object is.
   */
  singleShare: number;
  /**
   * Half-width (m) of the square above the bin where a demo's palm starts; 0 starts every demo at
   * the task's home. See `startPose`.
   */
  startSpread: number;
  store: DemoStore;
  onDemo?: (stored: number, tried: number) => void;
}

/** DART noise on executed actions while the hand approaches (before it closes), metres and radians. */
const NOISE = { xy: 0.008, z: 0.005, yaw: 0.08 };

/** Default `singleShare`. */
export const DEFAULT_SINGLE_SHARE = 0.3;
/** Default `startSpread`: most of the 30 cm bin. */
export const DEFAULT_START_SPREAD = 0.12;
/** A random start lies this far below home at most (m), and turned at most this much (rad). */
const START_DROP = 0.1;
const START_TURN = Math.PI / 4;
/** Control steps allowed to reach the start pose; it is a few steps away at the palm's top speed. */
const START_STEPS = 30;

/**
 * Runs the scripted expert and stores its successful episodes as demonstrations. Each grasps a
 * target drawn uniformly among the visible objects, which is what makes the training signal
 * conflict for a policy not told the target. A share of demos executes noisy actions while the
 * label stays the expert's own (DART), so learned heads see recovery states. Deterministic, and
 * resumable: demos already in the store are skipped.
 */
export async function collectDemos(options: CollectOptions): Promise<{ stored: number; tried: number }> {
  const { task, store } = options;
  store.claim({ task: task.spec.id, objects: options.objects, singleShare: options.singleShare, noisyShare: options.noisyShare, startSpread: options.startSpread });
  const env = await GraspEnv.create(task);
  const expert = new ScriptedExpert();
  const done = new Set(store.read().map((d) => d.key.index));
  let stored = done.size;
  let tried = 0;
  try {
    for (let i = 0; stored < options.demos; i++) {
      const key: EpisodeKey = { task: task.spec.id, objects: demoObjects(i, options), occlusion: 0, index: DEMO_INDEX_BASE + i };
      tried++;
      if (done.has(key.index)) continue;
      const noiseRng = new Rng(`demo-noise/${key.index}`);
      const noisy = noiseRng.next() < options.noisyShare;
      const demo = await recordDemo(env, expert, key, noisy ? noiseRng : null, options.startSpread);
      if (demo) {
        store.append(demo.meta, demo.frames);
        stored++;
        options.onDemo?.(stored, tried);
      }
    }
  } finally {
    env.close();
  }
  return { stored, tried };
}

/** The object count of the i-th demo: one object for a seeded share of demos, else the option's count. */
function demoObjects(i: number, options: CollectOptions): EpisodeKey['objects'] {
  return new Rng(`demo-count/${i}`).next() < options.singleShare ? { min: 1, max: 1 } : options.objects;
}

async function recordDemo(env: GraspEnv, expert: ScriptedExpert, key: EpisodeKey, noise: Rng | null, startSpread: number) {
  const { observation: first, info } = env.reset(key);
  const { gripper } = env.task.spec;
  const observation = startSpread > 0 ? moveToStart(env, first, startPose(key, gripper.home, startSpread)) : first;
  if (!observation) return null;
  expert.reset({ robot: robotInfoOf(env), rng: policyRng(key), groundTruth: groundTruthOf(env) });
  const targetSegmentId = objectSegmentId(info.target);
  const prompt = promptFor(env.task.spec.perception.detector, key, env.trueFrames().scene, targetSegmentId);
  const frames: Frame[] = [];
  const wristFrames: Frame[] = [];
  const cameras: DemoCameras = {
    sceneIntrinsics: intrinsicsRow(observation.cameras.scene),
    sceneToWorld: cameraToWorldRows(observation.cameras.scene),
    wristIntrinsics: intrinsicsRow(observation.cameras.wrist),
    wristToWorld: [],
  };
  const proprio: number[][] = [];
  const actions: number[][] = [];
  let obs = observation;
  let closed = false;
  for (;;) {
    const label = expert.act(obs)[0];
    // The cameras' frames with the true ids: the ids are the training labels' and the oracle's only.
    const truth = env.trueFrames();
    frames.push(cloneFrame({ ...obs.frames.scene, ids: truth.scene.ids }));
    wristFrames.push(cloneFrame({ ...obs.frames.wrist, ids: truth.wrist.ids }));
    cameras.wristToWorld.push(cameraToWorldRows(obs.cameras.wrist));
    const p = obs.proprio;
    proprio.push([p.palm.x, p.palm.y, p.palm.z, p.palm.yaw, p.opening, p.gripForce, p.gripper]);
    actions.push([label.x, label.y, label.z, label.yaw, label.gripper]);
    closed ||= label.gripper >= CLOSING_COMMAND;
    const executed: Action = noise && !closed
      ? { ...label, x: label.x + NOISE.xy * noise.normal(), y: label.y + NOISE.xy * noise.normal(), z: label.z + NOISE.z * noise.normal(), yaw: label.yaw + NOISE.yaw * noise.normal() }
      : label;
    const result = env.step(executed);
    if (result.outcome) {
      if (!result.outcome.successTarget) return null;
      return { meta: { key, targetSegmentId, prompt, noisy: noise !== null, proprio, actions, cameras }, frames: { scene: frames, wrist: wristFrames } };
    }
    obs = result.observation;
  }
}

/**
 * Where a demo's palm starts: a point drawn from the demo's key in a square above the bin, up to
 * START_DROP below home, turned up to START_TURN. Evaluation always starts at home; demos must
 * not, or behaviour cloning learns a shortcut (the "copycat"): from a fixed home the palm's
 * position already says which way the expert is heading, so a head that copies it fits the
 * demos without looking at the scene, and at test time, with the hand still at home, it has no
 * direction to copy.
 */
export function startPose(key: EpisodeKey, home: readonly [number, number, number], spread: number): PalmPose {
  const r = episodeRng(key).stream('demo-start');
  return { x: home[0] + r.uniform(-spread, spread), y: home[1] + r.uniform(-spread, spread), z: home[2] - r.uniform(0, START_DROP), yaw: r.uniform(-START_TURN, START_TURN) };
}

/**
 * Moves the open hand from home to `start` before the demo is recorded. Null when it does not
 * get there in START_STEPS, or the episode ends on the way: the demo is then skipped. (Exported
 * so that a check can replay a demo's start and render its first frame again.)
 */
export function moveToStart(env: GraspEnv, observation: Observation, start: PalmPose): Observation | null {
  let obs = observation;
  for (let i = 0; i < START_STEPS; i++) {
    const p = obs.proprio.palm;
    if (Math.hypot(p.x - start.x, p.y - start.y, p.z - start.z) < 1e-3 && Math.abs(p.yaw - start.yaw) < 1e-3) return obs;
    const result = env.step({ ...start, gripper: 0 });
    if (result.outcome) return null;
    obs = result.observation;
  }
  return null;
}
