import { z } from 'zod';
import { principalSpreads } from '../core/index.js';

const metres = (lo: number, hi: number) => z.number().min(lo).max(hi);
const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** Points a convex shape may list: enough for a solid, few enough for the hull to stay cheap. */
const MAX_CONVEX_POINTS = 256;

/** Thinnest spread a convex shape's points may have in any direction, metres. */
export const MIN_CONVEX_THICKNESS = 0.001;

/**
 * Why a convex shape's points make no solid, or undefined when they do. Their spreads along the
 * principal axes, least first: below 1 mm on all three they are one point, on two a line, on one
 * a plane; no volume in each case (Rapier would fail to build the hull, mid-episode).
 */
export function convexVolumeProblem(points: readonly (readonly [number, number, number])[]): string | undefined {
  const [thickness, width, length] = principalSpreads(points);
  const mm = (metres: number) => `${(metres * 1000).toFixed(1)} mm`;
  const min = mm(MIN_CONVEX_THICKNESS);
  if (length < MIN_CONVEX_THICKNESS) return `all at one point (no volume: ${mm(length)} across, at least ${min} needed in every direction)`;
  if (width < MIN_CONVEX_THICKNESS) return `collinear (no volume: ${mm(width)} off their line, at least ${min} needed in every direction)`;
  if (thickness < MIN_CONVEX_THICKNESS) return `coplanar (no volume: ${mm(thickness)} off their plane, at least ${min} needed in every direction)`;
  return undefined;
}

const ConvexPointsSchema = z
  .array(vec3)
  .min(4)
  .max(MAX_CONVEX_POINTS)
  .superRefine((points, ctx) => {
    // A count out of range is the problem already reported; no hull is worth computing then.
    if (points.length < 4 || points.length > MAX_CONVEX_POINTS) return;
    const problem = convexVolumeProblem(points);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A graspable object as plain, serialisable data: shape, mass and colour. The catalog holds the
 * built-in ones; a task may add its own under `objects.custom`. Rest pose: boxes stand on their
 * z face, cylinders upright, capsules lie along their x axis, convex hulls as their points give.
 */
export const ShapeDescSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('box'), size: z.tuple([metres(0.01, 0.5), metres(0.01, 0.5), metres(0.01, 0.5)]) }),
  z.strictObject({ kind: z.literal('cylinder'), radius: metres(0.005, 0.25), height: metres(0.01, 0.5) }),
  z.strictObject({ kind: z.literal('sphere'), radius: metres(0.005, 0.25) }),
  z.strictObject({ kind: z.literal('capsule'), radius: metres(0.005, 0.25), length: metres(0.01, 0.5) }),
  /** The convex hull of the points, which must span a solid (see `convexVolumeProblem`). */
  z.strictObject({ kind: z.literal('convex'), points: ConvexPointsSchema }),
]);

export const ObjectDescSchema = z.strictObject({
  /** Unique within the catalog and the task: the name CSV rows report. */
  name: z.string().regex(/^[a-z0-9_]+$/, 'use lowercase letters, digits and underscores'),
  shape: ShapeDescSchema,
  /** Kilograms. */
  mass: z.number().min(0.01).max(2),
  /** `#rrggbb`, the colour the renderer draws the object in. */
  colour: z.string().regex(/^#[0-9a-f]{6}$/, 'expected a colour like #e6194b'),
});

export type ShapeDesc = z.infer<typeof ShapeDescSchema>;
export type ObjectDesc = z.infer<typeof ObjectDescSchema>;
