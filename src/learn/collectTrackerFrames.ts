import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { taskObjectCount } from '../config/index.js';
import { join } from 'node:path';
import { episodeRng, policyRng, type EpisodeKey } from '../core/index.js';
import { GraspEnv } from '../env/index.js';
import { groundTruthOf, robotInfoOf, ScriptedExpert } from '../policy/index.js';
import type { Task } from '../sim/index.js';

/**
 * Scenes of the tracker's training data use episode indices from here on: never an evaluation key
 * (0, 1, 2, ...) and never a head's demonstration (DEMO_INDEX_BASE, 1,000,000 on).
 */
export const TRACKER_INDEX_BASE = 2_000_000;

/** Share of episodes in which a random object is pushed while the hand approaches. */
const PUSH_SHARE = 0.5;
/** The push: a horizontal speed (m/s) given to one object at a step drawn from the key. */
const PUSH_SPEED = { min: 0.25, max: 0.6 };
const PUSH_STEPS = { min: 2, max: 14 };

export interface TrackerFramesOptions {
  /** The tasks to draw scenes from, with their share of episodes. */
  tasks: { task: Task; share: number }[];
  episodes: number;
  outDir: string;
  onEpisode?: (done: number, total: number) => void;
}

/** One recorded episode in the frame files. */
export interface TrackerEpisode {
  task: string;
  index: number;
  /** First frame's row in the files, and the episode's frame count. */
  offset: number;
  frames: number;
  objects: number;
  target: number;
  pushed: { step: number; object: number } | null;
}

/**
 * The learned tracker's training data, from the harness's own renders: the scripted expert grasps
 * in cubes, pile and packed scenes (the hand passing over and hiding objects), and in half the
 * episodes one object is pushed, so objects move. Every control step's scene-camera frame is
 * stored: `rgb.bin` (H x W x 3 bytes a frame) and `ids.bin` (H x W segment ids, one byte each:
 * object i is 16 + i), with `frames.json`. The segment ids are training labels only.
 * Deterministic: every episode is a function of its key.
 */
export async function collectTrackerFrames(options: TrackerFramesOptions): Promise<TrackerEpisode[]> {
  mkdirSync(options.outDir, { recursive: true });
  const rgbFile = openSync(join(options.outDir, 'rgb.bin.tmp'), 'w');
  const idsFile = openSync(join(options.outDir, 'ids.bin.tmp'), 'w');
  const episodes: TrackerEpisode[] = [];
  const envs = new Map<string, GraspEnv>();
  let offset = 0;
  try {
    for (let i = 0; i < options.episodes; i++) {
      const task = pickTask(options.tasks, i);
      const env = envs.get(task.spec.id) ?? (await GraspEnv.create(task));
      envs.set(task.spec.id, env);
      const key: EpisodeKey = { task: task.spec.id, objects: taskObjectCount(task.spec), occlusion: 0, index: TRACKER_INDEX_BASE + i };
      const episode = recordEpisode(env, key, (rgb, ids) => {
        writeSync(rgbFile, rgb);
        writeSync(idsFile, ids);
      });
      episodes.push({ ...episode, offset });
      offset += episode.frames;
      options.onEpisode?.(i + 1, options.episodes);
    }
  } finally {
    closeSync(rgbFile);
    closeSync(idsFile);
    for (const env of envs.values()) env.close();
  }
  renameSync(join(options.outDir, 'rgb.bin.tmp'), join(options.outDir, 'rgb.bin'));
  renameSync(join(options.outDir, 'ids.bin.tmp'), join(options.outDir, 'ids.bin'));
  const { width, height } = options.tasks[0].task.spec.cameras.scene;
  writeFileSync(join(options.outDir, 'frames.json'), `${JSON.stringify({ width, height, frames: offset, episodes }, null, 1)}\n`);
  return episodes;
}

/** The task of the i-th episode: by share, from a stream of its own. */
function pickTask(tasks: TrackerFramesOptions['tasks'], i: number): Task {
  const u = episodeRng({ task: 'tracker-data', objects: { min: 1, max: 1 }, occlusion: 0, index: i }).stream('task').next();
  const total = tasks.reduce((s, t) => s + t.share, 0);
  let acc = 0;
  for (const t of tasks) {
    acc += t.share / total;
    if (u < acc) return t.task;
  }
  return tasks[tasks.length - 1].task;
}

function recordEpisode(env: GraspEnv, key: EpisodeKey, write: (rgb: Uint8Array, ids: Uint8Array) => void): Omit<TrackerEpisode, 'offset'> {
  const { observation: first, info } = env.reset(key);
  const spec = env.task.spec;
  const expert = new ScriptedExpert();
  expert.reset({ robot: robotInfoOf(env), rng: policyRng(key), groundTruth: groundTruthOf(env) });
  const push = drawPush(key, info.nObjects);
  const ids = new Uint8Array(spec.cameras.scene.width * spec.cameras.scene.height);
  let obs = first;
  let frames = 0;
  for (;;) {
    const frame = env.trueFrames().scene;
    for (let p = 0; p < ids.length; p++) ids[p] = Math.min(255, frame.ids[p]);
    write(obs.frames.scene.rgb, ids);
    frames++;
    if (push && obs.t === push.step) {
      const body = env.world.objects[push.object].body;
      body.applyImpulse({ x: push.vx * body.mass(), y: push.vy * body.mass(), z: 0 }, true);
    }
    const result = env.step(expert.act(obs)[0]);
    if (result.outcome) break;
    obs = result.observation;
  }
  return { task: key.task, index: key.index, frames, objects: info.nObjects, target: info.target, pushed: push && { step: push.step, object: push.object } };
}

function drawPush(key: EpisodeKey, objects: number): { step: number; object: number; vx: number; vy: number } | null {
  const r = episodeRng(key).stream('tracker-push');
  const pushed = r.next() < PUSH_SHARE;
  const step = r.int(PUSH_STEPS.min, PUSH_STEPS.max);
  const object = r.int(0, objects - 1);
  const speed = r.uniform(PUSH_SPEED.min, PUSH_SPEED.max);
  const angle = r.uniform(0, 2 * Math.PI);
  return pushed ? { step, object, vx: speed * Math.cos(angle), vy: speed * Math.sin(angle) } : null;
}
