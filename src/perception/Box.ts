/**
 * An axis-aligned box in image pixels: x right, y down, from the top-left corner of pixel (0, 0).
 * `x1` and `y1` are exclusive edges, so a box around pixels 3..5 runs from 3 to 6.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boxArea(b: Box): number {
  return Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
}

/** Intersection over union of two boxes. */
export function boxIou(a: Box, b: Box): number {
  const inter = boxArea({ x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) });
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** The tight box around the pixels where `select(i)` holds, or null if none does. */
export function boxWhere(width: number, height: number, select: (i: number) => boolean): Box | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (!select(i)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** The box clipped to the image, or null if nothing of it is left. */
export function clipBox(b: Box, width: number, height: number): Box | null {
  const c = { x0: Math.max(0, b.x0), y0: Math.max(0, b.y0), x1: Math.min(width, b.x1), y1: Math.min(height, b.y1) };
  return c.x1 - c.x0 >= 1 && c.y1 - c.y0 >= 1 ? c : null;
}

/** Why a box cannot be used as a prompt on a width x height image, or null if it can. */
export function boxProblem(b: Box, width: number, height: number): string | null {
  if (![b.x0, b.y0, b.x1, b.y1].every(Number.isFinite)) return 'has a non-finite corner';
  if (b.x1 - b.x0 < 1 || b.y1 - b.y0 < 1) return `is empty (${fmt(b)})`;
  if (b.x1 <= 0 || b.y1 <= 0 || b.x0 >= width || b.y0 >= height) return `lies outside the ${width} x ${height} image (${fmt(b)})`;
  return null;
}

const fmt = (b: Box) => `x ${b.x0}..${b.x1}, y ${b.y0}..${b.y1}`;
