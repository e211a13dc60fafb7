import { boxContains, type OrientedBox } from '../core/index.js';
import { pixelToWorld, type CameraModel, type SensorFrame } from '../render/index.js';

/**
 * How far outside the hand's boxes a depth point still counts as the hand, metres: the rendered
 * depth lies on the boxes' faces, so a few millimetres suffice, and fewer than the width of any
 * object the hand must find between its open fingers.
 */
export const OWN_HAND_MARGIN = 0.004;

/** The filtered mask's buffer: used and done with synchronously, so one serves every call. */
let kept = new Uint8Array(0);
const point: [number, number, number] = [0, 0, 0];

/**
 * The mask without the pixels whose depth puts them on the robot's own hand (`hand`: its boxes
 * where proprioception places them). A learned segmenter sometimes takes a finger for an object,
 * and the hand stands above whatever it reaches for, so one such pixel moves an object's top;
 * the robot knows where its hand is and removes it, as real robots filter themselves out of
 * their point clouds. Pixels without a depth (a blacked-out frame) stay. Valid until the next
 * call; the mask itself when there is no hand to remove.
 */
export function withoutOwnHand(mask: Uint8Array, frame: SensorFrame, camera: CameraModel, hand: readonly OrientedBox[]): Uint8Array {
  if (hand.length === 0) return mask;
  if (kept.length !== mask.length) kept = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) kept[i] = mask[i] && !isOwnHand(frame, camera, hand, i) ? 1 : 0;
  return kept;
}

function isOwnHand(frame: SensorFrame, camera: CameraModel, hand: readonly OrientedBox[], i: number): boolean {
  const d = frame.depth[i];
  if (!(d > 0) || !Number.isFinite(d)) return false;
  const u = i % frame.width;
  pixelToWorld(camera, u, (i - u) / frame.width, d, point);
  // A loop, not `some`: this runs for every mask pixel of every step, and a closure each is garbage.
  for (const box of hand) if (boxContains(box, point[0], point[1], point[2], OWN_HAND_MARGIN)) return true;
  return false;
}
