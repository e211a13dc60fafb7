import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeKey } from '../../core/index.js';
import { CLOSING_COMMAND, GraspEnv, OcclusionWrapper, type OcclusionMode, type Outcome } from '../../env/index.js';
import { loadPerception, type TrackerChoice } from '../../perception/index.js';
import { learnedTrackerManifest, policyFor } from '../run/policyFor.js';
import { cloneFrame, contactSheet, depthToRgb, idsToRgb, overlay, rgbOf, writeGif, writePng, type Frame, type RgbImage } from '../../render/index.js';
import type { Task } from '../../sim/index.js';
import { combineHooks, type EpisodeHooks } from './EpisodeHooks.js';
import { runEpisode } from './runEpisode.js';
import { TrackingProbe, type TrackingMetrics } from './TrackingProbe.js';

export interface RenderOptions {
  task: Task;
  key: EpisodeKey;
  policy: string;
  outDir: string;
  occlusionMode: OcclusionMode;
  /** The tracker whose mask is drawn over the scene camera. */
  tracker: TrackerChoice;
  /** Control step of the contact sheet; default: the step at which the gripper starts to close. */
  step?: number;
}

interface Recorded {
  scene: Frame;
  wrist: Frame;
  gripper: number;
}

const SEEN = [0, 255, 255] as const;
const REMEMBERED = [255, 140, 0] as const;
const PROMPT = [0, 255, 0] as const;

/**
 * Runs one episode, keeping both cameras' frames of every step as the policy saw them (occlusion
 * included, with the ground truth's segment ids) and the tracker's answer beside them, and writes
 * what a person can look at:
 * `sheet-tNNN.png` (rows: scene, wrist; columns: RGB, RGB with the tracked mask and prompt box,
 * depth, segment ids) at step 0 and at the chosen step, and `episode.gif` (scene with overlay, wrist).
 */
export async function renderEpisode(options: RenderOptions): Promise<{ files: string[]; outcome: Outcome; steps: number; tracking: TrackingMetrics }> {
  const perception = await loadPerception(options.tracker, options.task.spec, learnedTrackerManifest());
  const env = new OcclusionWrapper(await GraspEnv.create(options.task), options.key.occlusion, options.occlusionMode);
  const policy = await policyFor(options.policy, options.task, options.tracker);
  mkdirSync(options.outDir, { recursive: true });
  const recorded: Recorded[] = [];
  const probe = new TrackingProbe(env, perception);
  const recorder: EpisodeHooks = {
    onStep(obs, gripper) {
      // What the policy saw, with the true ids beside it: a debug picture may show ground truth.
      const truth = env.trueFrames();
      recorded.push({ scene: cloneFrame({ ...obs.frames.scene, ids: truth.scene.ids }), wrist: cloneFrame({ ...obs.frames.wrist, ids: truth.wrist.ids }), gripper });
    },
  };
  try {
    const result = await runEpisode(env, policy, options.key, combineHooks(probe, recorder));
    const tracked = (t: number): RgbImage => {
      const { prompt, result: track } = probe.history[t] ?? { prompt: null, result: null };
      const boxes = prompt ? [{ ...prompt, colour: PROMPT }] : [];
      return overlay(rgbOf(recorded[t].scene), track?.mask ?? null, track?.fromMemory ? REMEMBERED : SEEN, boxes);
    };
    const closing = recorded.findIndex((r) => r.gripper >= CLOSING_COMMAND);
    const step = Math.min(options.step ?? Math.max(0, closing), recorded.length - 1);
    const files: string[] = [];
    for (const t of [...new Set([0, step])]) {
      const { scene, wrist } = recorded[t];
      const path = join(options.outDir, `sheet-t${String(t).padStart(3, '0')}.png`);
      writePng(path, contactSheet([
        [rgbOf(scene), tracked(t), depthToRgb(scene), idsToRgb(scene)],
        [rgbOf(wrist), rgbOf(wrist), depthToRgb(wrist), idsToRgb(wrist)],
      ]));
      files.push(path);
    }
    const gifPath = join(options.outDir, 'episode.gif');
    const delay = Math.round(1000 / options.task.spec.control.controlHz);
    writeGif(gifPath, recorded.map((r, t) => contactSheet([[tracked(t), rgbOf(r.wrist)]], 2, 4)), delay);
    files.push(gifPath);
    return { files, outcome: result.outcome, steps: result.steps, tracking: probe.metrics() };
  } finally {
    env.close();
  }
}
