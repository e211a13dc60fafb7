import { describe, expect, it } from 'vitest';
import { POSE_STRIDE, type EpisodeMotion } from '../../../src/bench/record/EpisodeMotion.js';
import { decodeMotion, EMPTY_RECORD, encodeMotion, motionRecords } from '../../../src/bench/record/motionCodec.js';

/** Two objects at rest, a palm and fingers moving, as a recorder would see them. */
function motion(steps: number, boxes: boolean): EpisodeMotion {
  const bodies = 5;
  const poses = new Float32Array((steps + 1) * bodies * POSE_STRIDE);
  for (let t = 0; t <= steps; t++) {
    for (let b = 0; b < bodies; b++) {
      const moving = b >= 2;
      const yaw = moving ? 0.05 * t : 0.3 * b;
      const at = (t * bodies + b) * POSE_STRIDE;
      poses.set([0.1 * b + (moving ? 0.0123 * t : 0), -0.05 + (moving ? 0.002 * t * t : 0), moving ? 0.3 - 0.01 * t : 0.025, 0, 0, Math.sin(yaw / 2), Math.cos(yaw / 2)], at);
    }
  }
  const gripper = Float32Array.from({ length: steps }, (_, t) => (t === 3 ? NaN : t / steps));
  const box = (t: number) => (t === 2 ? [NaN, NaN, NaN, NaN] : [10.25 + t, 20, 40.5, 50.75]);
  return { unit: 'cubes|3-6|0|frames|7|act', objects: ['cube_red', 'cube_blue'], target: 1, bodies, hasPusher: false, steps, poses, gripper, boxes: boxes ? Float32Array.from({ length: 4 * steps }, (_, i) => box(Math.floor(i / 4))[i % 4]) : null };
}

describe('motion records', () => {
  it('keep the last frame exact and the others to 0.5 mm and 1/8191', () => {
    const original = motion(30, true);
    const decoded = decodeMotion(encodeMotion(original))!;
    expect({ ...decoded, poses: null, gripper: null, boxes: null }).toEqual({ ...original, poses: null, gripper: null, boxes: null });
    const frame = original.bodies * POSE_STRIDE;
    expect(decoded.poses.subarray(30 * frame)).toEqual(original.poses.subarray(30 * frame));
    for (let i = 0; i < 30 * frame; i++) expect(Math.abs(decoded.poses[i] - original.poses[i])).toBeLessThanOrEqual(i % POSE_STRIDE < 3 ? 0.25e-3 + 1e-7 : 0.5 / 8191 + 1e-7);
    expect(Number.isNaN(decoded.gripper[3])).toBe(true);
    expect(decoded.gripper[15]).toBeCloseTo(0.5, 2);
    expect([...decoded.boxes!.subarray(4, 12)]).toEqual([11.25, 20, 40.5, 50.75, NaN, NaN, NaN, NaN]);
  });

  it('cost about a byte per moving value and nothing for bodies at rest', () => {
    const bytes = encodeMotion(motion(120, false)).length;
    expect(bytes).toBeLessThan(120 * (1 + 3 * POSE_STRIDE * 1.3) + 400);
  });

  it('split from a file in order, an empty record being a row without one, a torn one left out', () => {
    const a = encodeMotion(motion(5, false));
    const b = encodeMotion(motion(8, true));
    const file = new Uint8Array([...a, ...EMPTY_RECORD, ...b, ...b.subarray(0, 20)]);
    const records = motionRecords(file);
    expect(records.map((r) => r.length)).toEqual([a.length, 4, b.length]);
    expect(decodeMotion(records[1])).toBeNull();
    expect(decodeMotion(records[2])!.steps).toBe(8);
    expect(() => decodeMotion(b.subarray(0, 20))).toThrow(/bytes where its header says/);
  });
});
