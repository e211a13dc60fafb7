/**
 * Values of a Frame's `ids` image. The fixed parts of the scene have fixed ids; object i of an
 * episode is OBJECT_BASE + i, so ids are stable for the whole episode.
 */
export const SEGMENT_IDS = {
  background: 0,
  table: 1,
  bin: 2,
  gripper: 3,
  /** The scripted pusher of tasks with a `pusher`: a fixed part of the scene, never an object. */
  pusher: 4,
  objectBase: 16,
  /** The render-only distractor card of the occlusion stress test: an object, to a tracker. */
  distractor: 250,
} as const;

export function objectSegmentId(index: number): number {
  return SEGMENT_IDS.objectBase + index;
}

/** Whether a segment id is one of the episode's objects (not a fixed part of the scene, nor the distractor card). */
export function isSceneObjectId(id: number): boolean {
  return id >= SEGMENT_IDS.objectBase && id !== SEGMENT_IDS.distractor;
}
