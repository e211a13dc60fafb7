import { z } from 'zod';
import type { ObjectCount } from '../core/index.js';
import { ObjectDescSchema } from './ObjectDesc.js';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** The most objects a task may hold; beyond it the bin is a heap, not clutter. */
export const MAX_OBJECTS = 30;

/** Largest camera side, pixels: beyond it a software renderer is the wrong tool. */
export const MAX_RESOLUTION = 1024;

const pixels = z.number().int().min(8).max(MAX_RESOLUTION);
/** Vertical field of view in degrees, as three.js's PerspectiveCamera takes it. */
const fov = z.number().min(10).max(150);

/** `{min, max}` within [lo, hi], min not above max. */
const range = (lo: number, hi: number) =>
  z
    .strictObject({ min: z.number().min(lo).max(hi), max: z.number().min(lo).max(hi) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

const ObjectCountSchema = z.union([
  z.number().int().min(1).max(MAX_OBJECTS),
  z
    .strictObject({ min: z.number().int().min(1).max(MAX_OBJECTS), max: z.number().int().min(1).max(MAX_OBJECTS) })
    .refine((c) => c.min <= c.max, { message: 'min must not exceed max' }),
]);

/**
 * A task: which objects, laid out how, in what bin, controlled how, judged how. Every field but
 * `id` and `objects` has a default; the defaults are the paper's simulated setting.
 */
export const TaskSpecSchema = z.strictObject({
  /** Short name; part of every episode key, so renaming a task gives new episodes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, - and _'),
  description: z.string().default(''),
  /** `scattered`: random positions and yaw on the bin floor, no overlap (the paper's setting);
   *  `pile`: dropped from a height, VGN-style; `packed`: upright, close together, no overlap. */
  layout: z.enum(['scattered', 'pile', 'packed']).default('scattered'),
  objects: z.strictObject({
    /** A fixed count, or `{min, max}`: the episode key then picks the count. */
    count: ObjectCountSchema,
    /** Catalog names or groups (`cubes`, `primitives`, `convex`) to draw objects from. */
    pool: z.array(z.string().min(1)).min(1),
    /** Objects defined by this task, usable in `pool` by name. */
    custom: z.array(ObjectDescSchema).default([]),
  }),
  bin: z
    .strictObject({
      /** Inner floor size, metres (x, y). */
      inner: z.tuple([z.number().min(0.1).max(1), z.number().min(0.1).max(1)]).default([0.3, 0.3]),
      wallHeight: z.number().min(0.02).max(0.5).default(0.1),
      wallThickness: z.number().min(0.005).max(0.05).default(0.01),
    })
    .prefault({}),
  gripper: z
    .strictObject({
      /** Widest finger opening, metres. */
      maxOpening: z.number().min(0.04).max(0.2).default(0.1),
      /** Force limit of each finger's motor, newtons. */
      fingerForce: z.number().min(1).max(100).default(10),
      /** Palm speed limits. */
      maxSpeed: z.number().min(0.01).max(2).default(0.3),
      maxYawRate: z.number().min(0.1).max(10).default(2),
      /** Where the palm starts, world frame (metres). */
      home: vec3.default([0, 0, 0.3]),
    })
    .prefault({}),
  control: z
    .strictObject({
      controlHz: z.number().int().min(1).max(100).default(10),
      physicsHz: z.number().int().min(60).max(2000).default(240),
      /** Episode length in seconds; truncation after it. */
      horizon: z.number().min(1).max(120).default(12),
    })
    .prefault({})
    .refine((c) => c.physicsHz % c.controlHz === 0, { message: 'physicsHz must be a multiple of controlHz' }),
  success: z
    .strictObject({
      /** Height above the rest height that counts as lifted, metres. */
      liftHeight: z.number().min(0.01).max(0.5).default(0.1),
      /** How long the lifted object must stay held, seconds. */
      holdSeconds: z.number().min(0).max(10).default(1),
    })
    .prefault({}),
  cameras: z
    .strictObject({
      /** The fixed external camera, looking obliquely down into the bin (the paper's external view). */
      scene: z
        .strictObject({
          position: vec3.default([0, -0.3, 0.7]),
          lookAt: vec3.default([0, 0, 0]),
          fov: fov.default(45),
          width: pixels.default(128),
          height: pixels.default(128),
        })
        .prefault({}),
      /** Fixed to the palm, looking down between the fingers (the paper's wrist RealSense). */
      wrist: z
        .strictObject({
          fov: fov.default(80),
          width: pixels.default(128),
          height: pixels.default(128),
        })
        .prefault({}),
    })
    .prefault({}),
  perception: z
    .strictObject({
      /** The simulated upstream detector that gives the prompt box at t = 0. */
      detector: z
        .strictObject({
          jitter: z.number().min(0).max(50).default(1),
          scaleError: z.number().min(0).max(1).default(0.05),
          missRate: z.number().min(0).max(1).default(0.01),
        })
        .prefault({}),
      /** The oracle tracker's memory and noise (`--tracker oracle`). */
      tracker: z
        .strictObject({
          memory: z.number().int().min(1).max(64).default(6),
          boundaryNoise: z.number().min(0).max(1).default(0.3),
          dropout: z.number().min(0).max(1).default(0.02),
          hiddenShare: z.number().min(0).max(1).default(0.3),
          switchRate: z.number().min(0).max(1).default(0.15),
        })
        .prefault({}),
    })
    .prefault({}),
  target: z
    .strictObject({
      /** Pixels of the target the scene camera must see at t = 0 for it to be chosen. */
      minVisiblePixels: z.number().int().min(1).default(20),
    })
    .prefault({}),
  /**
   * A scripted, physical pusher that shoves one object once while the hand approaches (the
   * `nudge` task). Absent: no pusher. Each episode's key draws the distance and the time.
   */
  pusher: z
    .strictObject({
      /** How far the pushed object moves, metres. */
      distance: range(0.005, 0.5).default({ min: 0.03, max: 0.06 }),
      /** When the stroke begins, seconds after reset (drawn at a control step). */
      start: range(0, 120).default({ min: 0.3, max: 0.7 }),
      /** Speed of the stroke, m/s (coming in and leaving, the pusher moves at 1 m/s). */
      speed: z.number().min(0.01).max(1).default(0.2),
      /** `target`: the pusher pushes the target; `neighbour`: an object beside it, into the target. */
      pushes: z.enum(['target', 'neighbour']).default('target'),
    })
    .optional(),
});

export type TaskSpec = z.infer<typeof TaskSpecSchema>;
export type PusherSpec = NonNullable<TaskSpec['pusher']>;

/** The task's `objects.count` as a range (a fixed count is a range of one). */
export function taskObjectCount(spec: TaskSpec): ObjectCount {
  const c = spec.objects.count;
  return typeof c === 'number' ? { min: c, max: c } : c;
}
