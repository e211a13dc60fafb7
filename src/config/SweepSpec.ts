import { z } from 'zod';
import { parseObjectCount } from '../core/index.js';
import { MAX_OBJECTS } from './TaskSpec.js';
import { parseSpec, readJsonFile } from './parseSpec.js';

const ObjectCountText = z.union([z.number().int(), z.string()]).transform((value, ctx) => {
  const count = parseObjectCount(String(value));
  if (!count || count.min < 1 || count.max > MAX_OBJECTS) {
    ctx.addIssue({ code: 'custom', message: `expected a count from 1 to ${MAX_OBJECTS} like 4 or a range like 3-6` });
    return z.NEVER;
  }
  return count;
});

const distinct = <T>(values: readonly T[], key: (v: T) => string) => new Set(values.map(key)).size === values.length;

/**
 * A sweep: the grid policies x tasks x object counts x occlusion levels, with `episodes` keys per
 * cell. Every policy meets the same keys, so any two methods can be compared pair by pair.
 */
export const SweepSpecSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
    description: z.string().default(''),
    /** Policy names (expert, act, act-cvae, act-condition, sam2grasp) or onnx:<manifest.json>. */
    policies: z.array(z.string().min(1)).min(1).max(32),
    /** The row other methods are read against in the tables (it is also paired with every method). */
    reference: z.string().min(1).optional(),
    /** Built-in task names or task files. */
    tasks: z.array(z.string().min(1)).min(1).max(16),
    objects: z.array(ObjectCountText).min(1).max(32),
    occlusion: z.array(z.number().min(0).lt(1)).min(1).max(32).default([0]),
    /** frames, windows:L, distractor:L or push:L (see OcclusionWrapper). */
    occlusionMode: z.string().default('frames'),
    episodes: z.number().int().min(1).max(100_000),
    /**
     * The first key's index: each cell runs keys firstKey .. firstKey + episodes - 1. The tables'
     * keys start at 0; keys from 3 000 000 are for choosing a setting (docs/learning.md), apart from
     * every table's and from the training data's.
     */
    firstKey: z.number().int().min(0).max(1_000_000_000).default(0),
    /**
     * learned, oracle or sam2:<manifest.json>: the perception of every learned policy without one
     * of its own (`NAME@TRACKER`); given, a tracking probe also runs it beside every policy, and the
     * rows record prompt_iou, track_iou, track_iou_blind and track_switches.
     */
    tracker: z.string().min(1).optional(),
    /** The table's columns; the default is whichever of the two has more than one value. */
    columns: z.enum(['occlusion', 'objects']).optional(),
  })
  .refine((s) => distinct(s.policies, String), { path: ['policies'], message: 'a policy is named twice' })
  .refine((s) => distinct(s.tasks, String), { path: ['tasks'], message: 'a task is named twice' })
  .refine((s) => distinct(s.objects, (o) => `${o.min}-${o.max}`), { path: ['objects'], message: 'an object count is named twice' })
  .refine((s) => distinct(s.occlusion, String), { path: ['occlusion'], message: 'an occlusion level is named twice' })
  .refine((s) => s.reference === undefined || s.policies.includes(s.reference), { path: ['reference'], message: 'must be one of the policies' })
  .refine((s) => s.columns !== undefined || s.occlusion.length === 1 || s.objects.length === 1, {
    path: ['columns'],
    message: 'both occlusion and objects have several values: say which are the columns',
  });

export type SweepSpec = z.infer<typeof SweepSpecSchema>;

/** Reads and validates a sweep spec; every problem is one line naming the file and field. */
export function loadSweepSpec(path: string): SweepSpec {
  return parseSpec(SweepSpecSchema, readJsonFile(path), path);
}
