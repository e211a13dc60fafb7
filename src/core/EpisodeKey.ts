import { sha256Hex } from './hash.js';
import { Rng } from './Rng.js';
import { formatObjectCount, type ObjectCount } from './ObjectCount.js';

/**
 * What an episode is. The scene, the target and every perturbation are functions of this key
 * alone: never of the policy, the worker, the shard or the run order. Every policy therefore meets
 * the same scenes, and comparisons between policies are paired.
 */
export interface EpisodeKey {
  /** The task spec's `id`. */
  readonly task: string;
  /** The object count or range; with a range, the key's own stream picks the count. */
  readonly objects: ObjectCount;
  /** Occlusion level in [0, 1]: the share of frames blacked out for the policy. */
  readonly occlusion: number;
  /** Episode index within its cell, from 0. */
  readonly index: number;
}

/** A stable text identity, e.g. `cubes/3-6/0/17`: the seed of every stream of the episode. */
export function episodeId(key: EpisodeKey): string {
  return `${key.task}/${formatObjectCount(key.objects)}/${key.occlusion}/${key.index}`;
}

/**
 * The root stream of the episode's scene: objects, layout and target. It leaves out the
 * occlusion level on purpose, so every occlusion level replays the same scenes and targets and an
 * occlusion sweep is paired across its levels too.
 */
export function sceneRng(key: EpisodeKey): Rng {
  return new Rng(`sam2grasp/scene/${key.task}/${formatObjectCount(key.objects)}/${key.index}`);
}

/**
 * A policy's own stream for the episode (its tracker's noise, a sampler's draws): a function of the
 * scene, so every occlusion level and every run replays it, but seeded through a hash, so that
 * nothing a policy is handed names its episode.
 */
export function policyRng(key: EpisodeKey): Rng {
  return new Rng(sha256Hex(sceneRng(key).stream('policy').seed));
}

/** The root stream of everything else in the episode (perturbations), from the whole key. */
export function episodeRng(key: EpisodeKey): Rng {
  return new Rng(`sam2grasp/episode/${episodeId(key)}`);
}

/** Names of the random streams, in one place so no two concerns share one by accident. */
export const STREAMS = {
  /** of sceneRng: object count and choice; its child `layout` places them */
  scene: 'scene',
  /** of sceneRng: which visible object is the target */
  target: 'target',
  /** of sceneRng: the scripted pusher's distance, time and direction (tasks with a `pusher`) */
  pusher: 'pusher',
} as const;
