import type { Frame } from './Frame.js';

/** How many pixels of the frame carry each segment id: `counts[id]`. Reuses `counts`. */
export function countSegments(frame: Frame, counts: Uint32Array = new Uint32Array(65536)): Uint32Array {
  counts.fill(0);
  const ids = frame.ids;
  for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
  return counts;
}
