import type { ObjectDesc } from '../config/index.js';
import { Rng } from '../core/index.js';

/**
 * The built-in objects: plain descriptors, never live bodies. Sizes are 3-8 cm and masses
 * 50-300 g, within the gripper's 10 cm opening and 10 N grip. Colours come from a palette chosen
 * to be told apart by eye and by a colour histogram, and stay with the object for good.
 */

/** The paper's simulated task: cubes that differ only in colour. */
const CUBE_COLOURS: Record<string, string> = {
  red: '#e6194b',
  green: '#3cb44b',
  blue: '#4363d8',
  yellow: '#ffe119',
  orange: '#f58231',
  purple: '#911eb4',
  cyan: '#42d4f4',
  magenta: '#f032e6',
};

const CUBES: ObjectDesc[] = Object.entries(CUBE_COLOURS).map(([name, colour]) => ({
  name: `cube_${name}`,
  shape: { kind: 'box', size: [0.04, 0.04, 0.04] },
  mass: 0.06,
  colour,
}));

const PRIMITIVES: ObjectDesc[] = [
  { name: 'box_block', shape: { kind: 'box', size: [0.06, 0.04, 0.03] }, mass: 0.12, colour: '#bfef45' },
  { name: 'box_tall', shape: { kind: 'box', size: [0.04, 0.035, 0.07] }, mass: 0.15, colour: '#469990' },
  { name: 'cylinder_can', shape: { kind: 'cylinder', radius: 0.025, height: 0.07 }, mass: 0.2, colour: '#9a6324' },
  { name: 'cylinder_puck', shape: { kind: 'cylinder', radius: 0.033, height: 0.03 }, mass: 0.15, colour: '#800000' },
  { name: 'sphere_ball', shape: { kind: 'sphere', radius: 0.025 }, mass: 0.08, colour: '#fabed4' },
  { name: 'capsule_pill', shape: { kind: 'capsule', radius: 0.016, length: 0.07 }, mass: 0.06, colour: '#dcbeff' },
];

const CONVEX_COLOURS = ['#808000', '#ffd8b1', '#000075', '#a9a9a9', '#aaffc3', '#fffac8', '#ff6f61', '#708090'];

/** Random convex hulls, fixed for good by their index: 14 points on an ellipsoid of 3-7 cm. */
function convexObject(index: number): ObjectDesc {
  const rng = new Rng(`catalog/convex/${index}`);
  const semi = [rng.uniform(0.015, 0.035), rng.uniform(0.015, 0.035), rng.uniform(0.015, 0.03)];
  const raw: number[][] = [];
  for (let i = 0; i < 14; i++) {
    const d = [rng.normal(), rng.normal(), rng.normal()];
    const n = Math.hypot(d[0], d[1], d[2]) || 1;
    raw.push(d.map((v, k) => (v / n) * semi[k]));
  }
  // Centre the cloud so the body origin sits inside the hull, and round to 0.1 mm so the
  // descriptor reads the same on every platform.
  const mean = [0, 1, 2].map((k) => raw.reduce((s, p) => s + p[k], 0) / raw.length);
  const points = raw.map((p) => p.map((v, k) => Math.round((v - mean[k]) * 1e4) / 1e4) as [number, number, number]);
  return {
    name: `convex_${index}`,
    shape: { kind: 'convex', points },
    mass: Math.round(rng.uniform(0.05, 0.3) * 100) / 100,
    colour: CONVEX_COLOURS[index % CONVEX_COLOURS.length],
  };
}

const CONVEX: ObjectDesc[] = Array.from({ length: 8 }, (_, i) => convexObject(i));

/**
 * Hulls 8-15 of the same family: no demonstration ever shows them (training pools name `convex`,
 * never these), so a cell of them measures how far the heads carry to objects they never saw.
 */
const CONVEX_UNSEEN: ObjectDesc[] = Array.from({ length: 8 }, (_, i) => convexObject(8 + i));

/**
 * Look-alikes: cubes of one colour, named apart only for the rows. A pool of one of them fills a
 * scene with identical twins (the draw repeats the pool when it runs out), so only the prompt and
 * the tracker's memory tell the target from the rest.
 */
const TWINS: ObjectDesc[] = (['blue', 'orange'] as const).map((name) => ({ ...CUBES.find((c) => c.name === `cube_${name}`)!, name: `twin_${name}` }));

/** Named groups a task's `objects.pool` may use instead of listing names. */
export const CATALOG_GROUPS: Readonly<Record<string, readonly ObjectDesc[]>> = {
  cubes: CUBES,
  primitives: PRIMITIVES,
  convex: CONVEX,
  convex_unseen: CONVEX_UNSEEN,
  /** One colour of twins. */
  lookalike: TWINS.slice(0, 1),
  /** Two colours of twins. */
  lookalike2: TWINS,
};

/** Every built-in object, by name. */
export const CATALOG: ReadonlyMap<string, ObjectDesc> = new Map(
  [...CUBES, ...PRIMITIVES, ...CONVEX, ...CONVEX_UNSEEN, ...TWINS].map((o) => [o.name, o]),
);
