/** A box turned about the vertical only, in world metres: how the floating hand's parts stand. */
export interface OrientedBox {
  readonly centre: readonly [number, number, number];
  /** The box's own x axis in the world's horizontal plane, (cos yaw, sin yaw): kept as a unit vector so tests per point need no trigonometry. */
  readonly axis: readonly [number, number];
  readonly halfExtents: readonly [number, number, number];
}

/** Whether a world point lies inside the box grown by `margin` on every side. */
export function boxContains(box: OrientedBox, x: number, y: number, z: number, margin = 0): boolean {
  const dx = x - box.centre[0];
  const dy = y - box.centre[1];
  const [c, s] = box.axis;
  const [hx, hy, hz] = box.halfExtents;
  return Math.abs(c * dx + s * dy) <= hx + margin && Math.abs(c * dy - s * dx) <= hy + margin && Math.abs(z - box.centre[2]) <= hz + margin;
}
