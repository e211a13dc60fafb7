import { rotateVec, type Vec3 } from '../core/index.js';
import type { GraspWorld } from './GraspWorld.js';
import { RAPIER } from './physicsSettings.js';
import { supportPoints } from './shapeGeometry.js';

/** Sample points sit this far towards the object's centre, so rays hit its surface, not graze it. */
const INSET = 0.8;

/**
 * Share of an object's sample points that a camera at `eye` reaches without another body in
 * the way: rays from the eye to points on the object, counted when the first thing they hit is
 * the object itself. A geometric stand-in for a rendered ID image.
 */
export function visibleFraction(gw: GraspWorld, index: number, eye: Vec3): number {
  const object = gw.objects[index];
  const { position, rotation } = gw.objectPose(index);
  const samples = supportPoints(object.desc.shape).map((p) => rotateVec(rotation, { x: p.x * INSET, y: p.y * INSET, z: p.z * INSET }));
  samples.push({ x: 0, y: 0, z: 0 });
  let seen = 0;
  for (const s of samples) {
    const target = { x: position.x + s.x, y: position.y + s.y, z: position.z + s.z };
    if (firstHit(gw, eye, target) === object.collider.handle) seen++;
  }
  return seen / samples.length;
}

/** Is anything but the object itself directly above its centre? */
export function isCovered(gw: GraspWorld, index: number): boolean {
  const p = gw.objectPose(index).position;
  const hit = firstHit(gw, { x: p.x, y: p.y, z: p.z + 1 }, p);
  return hit !== undefined && hit !== gw.objects[index].collider.handle;
}

function firstHit(gw: GraspWorld, from: Vec3, to: Vec3): number | undefined {
  const d = { x: to.x - from.x, y: to.y - from.y, z: to.z - from.z };
  const length = Math.hypot(d.x, d.y, d.z);
  const ray = new RAPIER.Ray(from, { x: d.x / length, y: d.y / length, z: d.z / length });
  const hit = gw.world.castRay(ray, length + 0.01, true);
  return hit?.collider.handle;
}
