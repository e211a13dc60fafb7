import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadSam2Manifest, type TaskSpec } from '../config/index.js';
import { InputError, sha256Hex, type Rng } from '../core/index.js';
import { SEGMENT_IDS, type Frame, type SensorFrame } from '../render/index.js';
import { OracleTracker } from './OracleTracker.js';
import type { PromptableTracker } from './PromptableTracker.js';
import { Sam2OnnxTracker } from './Sam2OnnxTracker.js';
import type { TrackerChoice } from './trackerChoice.js';

/** The ground-truth channel's scene frame of the current step, for oracles only. */
export type TrueSceneFrame = () => Frame;

/**
 * What a policy's perception is made of: a promptable tracker for prompted policies, and a
 * class-agnostic foreground segmenter (every object in view) for every policy. Loaded once per
 * run; every episode gets a fresh tracker with a memory of its own.
 */
export interface Perception {
  /** `learned`, `oracle` or `sam2:<name>`: the `perception` column of the results. */
  readonly name: string;
  /** It reads ground truth: a policy using it must be handed the ground-truth channel. */
  readonly oracle: boolean;
  /**
   * What its answers depend on: a hash of the bytes of every model file it reads (`oracle` for
   * the oracle). Retrained models keep their name, so a feature cache is keyed by this.
   */
  fingerprint(): string;
  tracker(rng: Rng, truth?: TrueSceneFrame): Promise<PromptableTracker>;
  foreground(frame: SensorFrame, truth?: TrueSceneFrame): Promise<Uint8Array>;
}

/**
 * The perception a `--tracker` choice names. `learned` and `sam2:` segment the foreground with
 * the learned tracker's image encoder (a SAM2 export has no such output); `oracle` reads both
 * the tracked object and the foreground from the ground truth's segment ids.
 */
export async function loadPerception(choice: TrackerChoice, spec: TaskSpec, learnedManifest: string): Promise<Perception> {
  if (choice.kind === 'oracle') return oraclePerception(spec);
  const learned = await Sam2OnnxTracker.load(learnedManifest);
  if (!learned.segmentsForeground) throw new InputError(learnedManifest, 'modules.imageEncoder.outputs.foreground: the learned tracker must segment the foreground (the scene token reads it)');
  const tracker = choice.kind === 'sam2' ? await Sam2OnnxTracker.load(choice.manifest) : learned;
  const manifests = choice.kind === 'sam2' ? [learnedManifest, choice.manifest] : [learnedManifest];
  // Hashed once, on first ask: only caching needs it, and a real SAM2 export is hundreds of MB.
  let fingerprint: string | undefined;
  return {
    name: tracker.name,
    oracle: false,
    fingerprint: () => (fingerprint ??= filesFingerprint(manifests.flatMap(trackerModelFiles))),
    tracker: async () => tracker.fresh(),
    foreground: (frame) => learned.foreground(frame),
  };
}

function oraclePerception(spec: TaskSpec): Perception {
  const need = (truth: TrueSceneFrame | undefined) => {
    if (!truth) throw new Error('the oracle perception needs the ground-truth channel');
    return truth;
  };
  return {
    name: 'oracle',
    oracle: true,
    fingerprint: () => 'oracle',
    tracker: async (rng, truth) => new OracleTracker(rng, need(truth), spec.perception.tracker),
    foreground: async (frame, truth) => oracleForeground(frame, need(truth)()),
  };
}

/** A four-module tracker's manifest and the module files it names: what its answers depend on. */
export function trackerModelFiles(manifestPath: string): string[] {
  const modules = Object.values(loadSam2Manifest(manifestPath).modules);
  return [manifestPath, ...modules.map((m) => resolve(dirname(manifestPath), m.file))];
}

/** SHA-256 over the files' SHA-256s, in order. */
function filesFingerprint(files: string[]): string {
  return sha256Hex(files.map((f) => sha256Hex(readFileSync(f))).join('\n'));
}

/** Pixels of every object in view (not the floor, the bin or the hand), read from the true ids; none where the camera saw nothing. */
export function oracleForeground(frame: SensorFrame, truth: Frame): Uint8Array {
  const mask = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < mask.length; i++) mask[i] = truth.ids[i] >= SEGMENT_IDS.objectBase && frame.depth[i] > 0 ? 1 : 0;
  return mask;
}
