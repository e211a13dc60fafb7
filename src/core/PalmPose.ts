import { clamp, wrapAngle } from './math.js';

/** Palm (tool centre point) position in metres and yaw in radians, world frame. */
export interface PalmPose {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

/**
 * Moves `pose` towards `target` in place by at most `maxDistance` (straight line) and `maxTurn`
 * (shortest way round). The gripper applies it at every physics step; the expert uses it to
 * foresee where the palm will be.
 */
export function stepPoseTowards(pose: PalmPose, target: Readonly<PalmPose>, maxDistance: number, maxTurn: number): PalmPose {
  const dx = target.x - pose.x;
  const dy = target.y - pose.y;
  const dz = target.z - pose.z;
  const distance = Math.hypot(dx, dy, dz);
  const k = distance > maxDistance ? maxDistance / distance : 1;
  pose.x += dx * k;
  pose.y += dy * k;
  pose.z += dz * k;
  pose.yaw += clamp(wrapAngle(target.yaw - pose.yaw), -maxTurn, maxTurn);
  return pose;
}
