import { createFrame, type Frame } from '../../src/render/index.js';

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

/** The same frame, blacked out as the occlusion wrapper does: RGB and depth zero, ids kept. */
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
