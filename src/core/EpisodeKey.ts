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
 * The episode's root random stream. Consumers take named children of it (`scene`, `target`,
 * `occlusion`, ...), so each concern draws from its own sequence.
 */
export function episodeRng(key: EpisodeKey): Rng {
  return new Rng(`sam2grasp/${episodeId(key)}`);
}

/** Names of the episode's random streams, in one place so no two concerns share one by accident. */
export const STREAMS = {
  /** object count, object choice, layout */
  scene: 'scene',
  /** which visible object is the target */
  target: 'target',
} as const;
