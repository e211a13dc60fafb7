import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sceneRng } from '../core/index.js';
import { CONDITIONINGS, conditionedFeatures, conditionedLength, FeatureEncoder, SimulatedSam2, type Conditioning, type TrackResult } from '../perception/index.js';
import { cameraModelOf, makeSceneCamera } from '../render/index.js';
import type { Task } from '../sim/index.js';
import type { DemoStore } from './DemoStore.js';

/** The cache's index: which demos, how many rows each, and their proprio and action labels. */
export interface CacheIndex {
  featureLength: number;
  encoder: string;
  modes: Conditioning[];
  demos: { key: string; rows: number; proprio: number[][]; actions: number[][] }[];
}

/**
 * The paper's offline feature caching: one pass of the frozen perception over every
 * demonstration (the prompt, the simulated tracker seeded as in evaluation, the encoder),
 * storing each step's conditioned features per mode in `features-<mode>.bin` (float32, one row
 * per step) with `cache.json`. Training never touches images again. Demos without a prompt (the
 * detector missed) are left out of every mode, so all heads learn from the same steps.
 */
export async function cacheFeatures(store: DemoStore, task: Task, encoderManifest: string, outDir: string, onDemo?: (done: number, total: number) => void): Promise<CacheIndex> {
  const encoder = await FeatureEncoder.load(encoderManifest);
  const { width, height } = task.spec.cameras.scene;
  const demos = store.read().filter((d) => d.prompt !== null);
  mkdirSync(outDir, { recursive: true });
  const files = Object.fromEntries(CONDITIONINGS.map((m) => [m, openSync(join(outDir, `features-${m}.bin.tmp`), 'w')])) as Record<Conditioning, number>;
  const index: CacheIndex = { featureLength: conditionedLength(encoder), encoder: encoderManifest, modes: [...CONDITIONINGS], demos: [] };
  try {
    for (const [n, demo] of demos.entries()) {
      const frames = store.frames(demo, width, height);
      const tracker = new SimulatedSam2(sceneRng(demo.key).stream('tracker'), task.spec.perception.tracker);
      const camera = cameraModelOf(makeSceneCamera(task.spec.cameras.scene), width, height);
      let track: TrackResult = await tracker.init(frames[0], demo.prompt!);
      for (const [t, frame] of frames.entries()) {
        if (t > 0) track = await tracker.track(frame);
        for (const mode of CONDITIONINGS) {
          const f = await conditionedFeatures(mode, encoder, frame, track, camera);
          writeSync(files[mode], new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
        }
      }
      index.demos.push({ key: `${demo.key.task}/${demo.key.index}`, rows: frames.length, proprio: demo.proprio, actions: demo.actions });
      onDemo?.(n + 1, demos.length);
    }
  } finally {
    for (const fd of Object.values(files)) closeSync(fd);
  }
  for (const mode of CONDITIONINGS) renameSync(join(outDir, `features-${mode}.bin.tmp`), join(outDir, `features-${mode}.bin`));
  writeFileSync(join(outDir, 'cache.json'), JSON.stringify(index));
  return index;
}

/** Reads the index and one mode's features. */
export function readCache(dir: string, mode: Conditioning): { index: CacheIndex; features: Float32Array } {
  const path = join(dir, 'cache.json');
  if (!existsSync(path)) throw new Error(`no feature cache in ${dir}: run sam2grasp cache first`);
  const index = JSON.parse(readFileSync(path, 'utf8')) as CacheIndex;
  const bytes = readFileSync(join(dir, `features-${mode}.bin`));
  return { index, features: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) };
}
