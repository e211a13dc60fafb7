import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeKey } from '../core/index.js';
import { CLOSING_COMMAND, GraspEnv, type Outcome } from '../env/index.js';
import { createPolicy } from '../policy/index.js';
import { cloneFrame, contactSheet, depthToRgb, idsToRgb, rgbOf, writeGif, writePng, type Frame } from '../render/index.js';
import type { Task } from '../sim/index.js';
import { runEpisode, type EpisodeHooks } from './runEpisode.js';

export interface RenderOptions {
  task: Task;
  key: EpisodeKey;
  policy: string;
  outDir: string;
  /** Control step of the contact sheet; default: the step at which the gripper starts to close. */
  step?: number;
}

interface Recorded {
  scene: Frame;
  wrist: Frame;
  gripper: number;
}

/**
 * Runs one episode, keeping both cameras' frames of every step, and writes what a person can
 * look at: `sheet-tNNN.png` (per camera: RGB, depth, segment ids, side by side, at step 0 and at
 * the chosen step) and `episode.gif` (both cameras, every step).
 */
export async function renderEpisode(options: RenderOptions): Promise<{ files: string[]; outcome: Outcome; steps: number }> {
  const env = await GraspEnv.create(options.task);
  const policy = createPolicy(options.policy);
  mkdirSync(options.outDir, { recursive: true });
  const recorded: Recorded[] = [];
  const hooks: EpisodeHooks = {
    onStep: (obs, gripper) => recorded.push({ scene: cloneFrame(obs.frames.scene), wrist: cloneFrame(obs.frames.wrist), gripper }),
  };
  try {
    const result = await runEpisode(env, policy, options.key, hooks);
    const closing = recorded.findIndex((r) => r.gripper >= CLOSING_COMMAND);
    const step = Math.min(options.step ?? Math.max(0, closing), recorded.length - 1);
    const files: string[] = [];
    for (const t of [...new Set([0, step])]) {
      const { scene, wrist } = recorded[t];
      const path = join(options.outDir, `sheet-t${String(t).padStart(3, '0')}.png`);
      writePng(path, contactSheet([[rgbOf(scene), depthToRgb(scene), idsToRgb(scene)], [rgbOf(wrist), depthToRgb(wrist), idsToRgb(wrist)]]));
      files.push(path);
    }
    const gifPath = join(options.outDir, 'episode.gif');
    const delay = Math.round(1000 / options.task.spec.control.controlHz);
    writeGif(gifPath, recorded.map((r) => contactSheet([[rgbOf(r.scene), rgbOf(r.wrist)]], 2, 4)), delay);
    files.push(gifPath);
    return { files, outcome: result.outcome, steps: result.steps };
  } finally {
    env.close();
  }
}
