import type { Vec3 } from '../core/index.js';
import type { GraspWorld } from './GraspWorld.js';
import { COLLISION_GROUPS } from './collisionGroups.js';
import { RAPIER } from './physicsSettings.js';

/** Is another object (or the bin) directly above the object's centre? The gripper does not count. */
export function isCovered(gw: GraspWorld, index: number): boolean {
  const p = gw.objectPose(index).position;
  const hit = firstHit(gw, { x: p.x, y: p.y, z: p.z + 1 }, p);
  return hit !== undefined && hit !== gw.objects[index].collider.handle;
}

function firstHit(gw: GraspWorld, from: Vec3, to: Vec3): number | undefined {
  const d = { x: to.x - from.x, y: to.y - from.y, z: to.z - from.z };
  const length = Math.hypot(d.x, d.y, d.z);
  const ray = new RAPIER.Ray(from, { x: d.x / length, y: d.y / length, z: d.z / length });
  const hit = gw.world.castRay(ray, length + 0.01, true, undefined, COLLISION_GROUPS.sceneQuery);
  return hit?.collider.handle;
}
