/** How many objects an episode holds: a fixed count (min = max) or an inclusive range. */
export interface ObjectCount {
  readonly min: number;
  readonly max: number;
}

/** `4` or `3-6`: the form used in episode keys, CSV rows and the `--objects` flag. */
export function formatObjectCount(count: ObjectCount): string {
  return count.min === count.max ? `${count.min}` : `${count.min}-${count.max}`;
}

/** Parses `4` or `3-6`; returns null when the text is neither. */
export function parseObjectCount(text: string): ObjectCount | null {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return min <= max ? { min, max } : null;
}
