import { Rng } from '../../src/core/index.js';
import { OracleTracker, type OracleTrackerOptions } from '../../src/perception/index.js';
import { createFrame, sensorView, type Frame } from '../../src/render/index.js';

/** A synthetic frame: background ids 1, with rectangles of object ids; depth 0.5 everywhere. */
export function frameWith(rects: { id: number; x0: number; y0: number; x1: number; y1: number }[], size = 64): Frame {
  const frame = createFrame(size, size);
  frame.ids.fill(1);
  frame.depth.fill(0.5);
  frame.rgb.fill(100);
  for (const r of rects) {
    for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) frame.ids[y * size + x] = r.id;
  }
  return frame;
}

/** The same frame, blacked out as the occlusion wrapper does: RGB and depth zero; its ids stay the ground truth's. */
export function blackedOut(frame: Frame): Frame {
  const black = createFrame(frame.width, frame.height);
  black.ids.set(frame.ids);
  return black;
}

export function centroid(mask: Uint8Array, width: number): [number, number] {
  let sx = 0, sy = 0, n = 0;
  mask.forEach((v, i) => { if (v) { sx += i % width; sy += Math.floor(i / width); n++; } });
  return [sx / n, sy / n];
}

/**
 * An oracle tracker fed synthetic frames: each frame's ids become the ground truth of its step,
 * and the tracker is handed only its sensor view.
 */
export function oracleOn(seed: string, options?: OracleTrackerOptions) {
  let truth: Frame | null = null;
  const tracker = new OracleTracker(new Rng(seed), () => truth!, options);
  return {
    tracker,
    init: (frame: Frame, box: { x0: number; y0: number; x1: number; y1: number }) => ((truth = frame), tracker.init(sensorView(frame), box)),
    track: (frame: Frame) => ((truth = frame), tracker.track(sensorView(frame))),
  };
}
