import { z } from 'zod';

const metres = (lo: number, hi: number) => z.number().min(lo).max(hi);
const vec3 = z.tuple([z.number(), z.number(), z.number()]);

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
  z.strictObject({ kind: z.literal('convex'), points: z.array(vec3).min(4).max(256) }),
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
