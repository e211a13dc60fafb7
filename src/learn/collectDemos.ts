import { Rng, type EpisodeKey } from '../core/index.js';
import { CLOSING_COMMAND, GraspEnv, type Action } from '../env/index.js';
import { promptFor } from '../perception/index.js';
import { ScriptedExpert } from '../policy/index.js';
import { cloneFrame, objectSegmentId, type Frame } from '../render/index.js';
import type { Task } from '../sim/index.js';
import { DemoStore } from './DemoStore.js';

/** Demonstrations use episode indices from here on, so they never overlap the evaluation keys (0, 1, 2, ...). */
export const DEMO_INDEX_BASE = 1_000_000;

export interface CollectOptions {
  task: Task;
  objects: EpisodeKey['objects'];
  demos: number;
  /** Share of demos whose executed actions carry DART noise (the expert corrects it). */
  noisyShare: number;
  store: DemoStore;
  onDemo?: (stored: number, tried: number) => void;
}

/** DART noise on executed actions while the hand approaches (before it closes), metres and radians. */
const NOISE = { xy: 0.008, z: 0.005, yaw: 0.08 };

/**
 * Runs the scripted expert and stores its successful episodes as demonstrations. Each grasps a
 * target drawn uniformly among the visible objects, which is what makes the training signal
 * conflict for a policy not told the target. A share of demos executes noisy actions while the
 * label stays the expert's own (DART), so learned heads see recovery states. Deterministic, and
 * resumable: demos already in the store are skipped.
 */
export async function collectDemos(options: CollectOptions): Promise<{ stored: number; tried: number }> {
  const { task, store } = options;
  const env = await GraspEnv.create(task);
  const expert = new ScriptedExpert();
  const done = new Set(store.read().map((d) => d.key.index));
  let stored = done.size;
  let tried = 0;
  try {
    for (let i = 0; stored < options.demos; i++) {
      const key: EpisodeKey = { task: task.spec.id, objects: options.objects, occlusion: 0, index: DEMO_INDEX_BASE + i };
      tried++;
      if (done.has(key.index)) continue;
      const noiseRng = new Rng(`demo-noise/${key.index}`);
      const noisy = noiseRng.next() < options.noisyShare;
      const demo = await recordDemo(env, expert, key, noisy ? noiseRng : null);
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

async function recordDemo(env: GraspEnv, expert: ScriptedExpert, key: EpisodeKey, noise: Rng | null) {
  const { observation, info } = env.reset(key);
  const { gripper, control } = env.task.spec;
  expert.reset({ key, robot: { controlHz: control.controlHz, maxOpening: gripper.maxOpening, maxSpeed: gripper.maxSpeed, maxYawRate: gripper.maxYawRate }, privileged: () => env.privileged() });
  const targetSegmentId = objectSegmentId(info.target);
  const prompt = promptFor(env.task.spec.perception.detector, key, observation.frames.scene, targetSegmentId);
  const frames: Frame[] = [];
  const proprio: number[][] = [];
  const actions: number[][] = [];
  let obs = observation;
  let closed = false;
  for (;;) {
    const label = expert.act(obs)[0];
    frames.push(cloneFrame(obs.frames.scene));
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
      return { meta: { key, targetSegmentId, prompt, noisy: noise !== null, proprio, actions }, frames };
    }
    obs = result.observation;
  }
}
