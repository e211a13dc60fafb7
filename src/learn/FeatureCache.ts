import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { episodeRng, InputError, policyRng, type EpisodeKey } from '../core/index.js';
import { CONDITIONINGS, conditionedFeatures, conditionedLength, FEATURES_VERSION, FeatureEncoder, type Conditioning, type Perception, type TrackResult } from '../perception/index.js';
import { cameraModelOf, createSensorFrame, makeSceneCamera, sensorView, type SensorFrame } from '../render/index.js';
import { handBoxesAt, type Task } from '../sim/index.js';
import type { DemoStore } from './DemoStore.js';

/** The cache's index: which demos, how many rows each, and their proprio and action labels. */
export interface CacheIndex {
  featureLength: number;
  /** `FEATURES_VERSION` when cached: a cache of another version is stale. */
  featuresVersion: number;
  encoder: string;
  /** The perception the features came from (`learned`, `oracle`, `sam2:<name>`). */
  perception: string;
  /** `Perception.fingerprint()`: the exact model files, which a retrained tracker changes and its name does not. */
  perceptionFingerprint: string;
  modes: Conditioning[];
  /** Share of demos cached with frames blacked out (see `occlusionSchedule`). */
  occludedShare: number;
  demos: { key: string; rows: number; proprio: number[][]; actions: number[][] }[];
}

/** Default share of demos cached under occlusion. */
export const DEFAULT_OCCLUDED_SHARE = 0.5;
/** The highest occlusion level drawn for a demo: Table III's range. */
const MAX_OCCLUSION = 0.6;

/**
 * Which steps of a demo the cache blacks out, as Table III's `frames` occlusion does at test time:
 * a share of demos gets a level p drawn up to MAX_OCCLUSION, and each of its steps after the
 * first (the prompt's) is black with probability p. Drawn from the demo's key, so the cache is
 * deterministic. Without it the heads never see a black frame in training, and what they do with
 * one at test time is anybody's guess.
 */
export function occlusionSchedule(key: EpisodeKey, occludedShare: number, steps: number): boolean[] {
  const r = episodeRng(key).stream('cache-occlusion');
  const level = r.next() < occludedShare ? r.uniform(0, MAX_OCCLUSION) : 0;
  return Array.from({ length: steps }, (_, t) => r.next() < level && t > 0);
}

/**
 * The paper's offline feature caching: one pass of the frozen perception over every
 * demonstration (the prompt, the tracker seeded as in evaluation, the foreground, the encoder),
 * storing each step's conditioned features per mode in `features-<mode>.bin` (float32, one row
 * per step) with `cache.json`. Training never touches images again. A share of demos is cached
 * under occlusion (`occlusionSchedule`). Demos without a prompt (the
 * detector missed) are left out of every mode, so all heads learn from the same steps.
 */
export async function cacheFeatures(store: DemoStore, task: Task, encoderManifest: string, perception: Perception, outDir: string, occludedShare: number, onDemo?: (done: number, total: number, rows: number) => void): Promise<CacheIndex> {
  const encoder = await FeatureEncoder.load(encoderManifest);
  const { width, height } = task.spec.cameras.scene;
  const demos = store.read().filter((d) => d.prompt !== null);
  mkdirSync(outDir, { recursive: true });
  const files = Object.fromEntries(CONDITIONINGS.map((m) => [m, openSync(join(outDir, `features-${m}.bin.tmp`), 'w')])) as Record<Conditioning, number>;
  const index: CacheIndex = { featureLength: conditionedLength(encoder), featuresVersion: FEATURES_VERSION, encoder: encoderManifest, perception: perception.name, perceptionFingerprint: perception.fingerprint(), modes: [...CONDITIONINGS], occludedShare, demos: [] };
  const black = createSensorFrame(width, height);
  try {
    for (const [n, demo] of demos.entries()) {
      const frames = store.frames(demo, width, height);
      let t = 0;
      // The stored frames carry the true ids: an oracle perception reads them, a learned one cannot.
      const tracker = await perception.tracker(policyRng(demo.key).stream('tracker'), () => frames[t]);
      const camera = cameraModelOf(makeSceneCamera(task.spec.cameras.scene), width, height);
      const occluded = occlusionSchedule(demo.key, occludedShare, frames.length);
      let track: TrackResult = await tracker.init(sensorView(frames[0]), demo.prompt!);
      for (t = 0; t < frames.length; t++) {
        const frame: SensorFrame = occluded[t] ? black : sensorView(frames[t]);
        if (t > 0) track = await tracker.track(frame);
        const foreground = track.foreground ?? (await perception.foreground(frame, () => frames[t]));
        const [x, y, z, yaw, opening] = demo.proprio[t];
        const hand = handBoxesAt({ x, y, z, yaw }, opening, task.spec.gripper.maxOpening);
        for (const mode of CONDITIONINGS) {
          const f = await conditionedFeatures(mode, encoder, frame, track, foreground, camera, hand);
          writeSync(files[mode], new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
        }
      }
      index.demos.push({ key: `${demo.key.task}/${demo.key.index}`, rows: frames.length, proprio: demo.proprio, actions: demo.actions });
      onDemo?.(n + 1, demos.length, frames.length);
    }
  } finally {
    for (const fd of Object.values(files)) closeSync(fd);
  }
  for (const mode of CONDITIONINGS) renameSync(join(outDir, `features-${mode}.bin.tmp`), join(outDir, `features-${mode}.bin`));
  writeFileSync(join(outDir, 'cache.json'), JSON.stringify(index));
  return index;
}

/**
 * Several caches as one (demonstrations of several tasks): their demos in order, their features
 * end to end. They must come from the same encoder and perception.
 */
export function readCaches(dirs: readonly string[], mode: Conditioning): { index: CacheIndex; features: Float32Array } {
  const parts = dirs.map((dir) => readCache(dir, mode));
  if (parts.length === 1) return parts[0];
  const [first] = parts;
  const odd = parts.find((p) => p.index.featureLength !== first.index.featureLength || p.index.featuresVersion !== first.index.featuresVersion || p.index.perceptionFingerprint !== first.index.perceptionFingerprint || p.index.encoder !== first.index.encoder);
  if (odd) throw new InputError(dirs[parts.indexOf(odd)], `its features come from another encoder, perception or features version than ${dirs[0]}'s: rebuild it`);
  const features = new Float32Array(parts.reduce((n, p) => n + p.features.length, 0));
  let offset = 0;
  for (const p of parts) {
    features.set(p.features, offset);
    offset += p.features.length;
  }
  return { index: { ...first.index, demos: parts.flatMap((p) => p.index.demos) }, features };
}

/** Reads the index and one mode's features. */
export function readCache(dir: string, mode: Conditioning): { index: CacheIndex; features: Float32Array } {
  const path = join(dir, 'cache.json');
  if (!existsSync(path)) throw new Error(`no feature cache in ${dir}: run sam2grasp cache first`);
  const index = JSON.parse(readFileSync(path, 'utf8')) as CacheIndex;
  const bytes = readFileSync(join(dir, `features-${mode}.bin`));
  return { index, features: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) };
}
