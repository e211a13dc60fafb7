import { POSE_STRIDE, type EpisodeMotion } from '../src/bench/record/EpisodeMotion.js';

export type Point = [number, number, number];

/**
 * Where the hand closed and where the objects' centroid was then: the averaging diagnostic made
 * visible. Taken as the env takes the rows' `closing_to_*` columns: after the first step whose
 * gripper command reaches `closingCommand`, i.e. frame step + 1. The centroid is of the objects'
 * body origins (the rows use footprint centroids: the same point for the catalog's shapes at rest).
 * Null when the hand never closed.
 */
export function closingMarks(motion: EpisodeMotion, closingCommand: number): { step: number; palm: Point; centroid: Point } | null {
  const step = motion.gripper.findIndex((g) => g >= closingCommand);
  if (step < 0) return null;
  const frame = Math.min(step + 1, motion.steps);
  const at = (body: number): Point => {
    const i = (frame * motion.bodies + body) * POSE_STRIDE;
    return [motion.poses[i], motion.poses[i + 1], motion.poses[i + 2]];
  };
  const n = motion.objects.length;
  const centroid: Point = [0, 0, 0];
  for (let o = 0; o < n; o++) at(o).forEach((v, k) => (centroid[k] += v / n));
  return { step, palm: at(n), centroid };
}
