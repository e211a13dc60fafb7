import type { ObjectDesc, TaskSpec } from '../config/index.js';
import { InputError } from '../core/index.js';
import { CATALOG, CATALOG_GROUPS } from './ObjectCatalog.js';
import { footprintRadius, largestExtent } from './shapeGeometry.js';
import { narrowestWidth } from './objectExtent.js';
import { claimedArea, footprintAtRest } from './Spawner.js';
import { checkPusherFits } from './planPush.js';

/** Width the gripper must open beyond an object to close on it (the expert's pre-shape margin). */
export const GRASP_CLEARANCE = 0.015;

/** Share of the bin floor a scattered or packed layout may cover. */
const MAX_FLOOR_SHARE = 0.4;

/** A task spec whose object pool has been looked up and checked against the bin and the gripper. */
export interface Task {
  readonly spec: TaskSpec;
  readonly pool: readonly ObjectDesc[];
}

/**
 * Resolves `objects.pool` to descriptors and checks what the schema cannot: names exist, objects
 * fit the bin, the gripper can close on them, and the largest count can be scattered without
 * overlap. Problems become InputErrors naming `source` and the field.
 */
export function resolveTask(spec: TaskSpec, source: string): Task {
  const custom = new Map<string, ObjectDesc>();
  // Where a problem with an object's size is reported: its shape's field, for the task's own.
  const fieldOf = new Map<ObjectDesc, string>();
  spec.objects.custom.forEach((desc, i) => {
    if (CATALOG.has(desc.name) || custom.has(desc.name)) {
      throw new InputError(source, `objects.custom[${i}].name: "${desc.name}" is already taken`);
    }
    custom.set(desc.name, desc);
    fieldOf.set(desc, `objects.custom[${i}].shape`);
  });
  const pool: ObjectDesc[] = [];
  spec.objects.pool.forEach((name, i) => {
    const single = custom.get(name) ?? CATALOG.get(name);
    const found = CATALOG_GROUPS[name] ?? (single ? [single] : undefined);
    if (!found) {
      throw new InputError(source, `objects.pool[${i}]: unknown object or group "${name}" (groups: ${Object.keys(CATALOG_GROUPS).join(', ')}; or a catalog or custom name)`);
    }
    for (const desc of found) if (!pool.includes(desc)) pool.push(desc);
  });
  for (const desc of pool) checkObjectFits(desc, spec, source, fieldOf.get(desc) ?? 'objects');
  checkRoomToScatter(pool, spec, source);
  checkPusherFits(pool, spec, source);
  return { spec, pool };
}

function checkObjectFits(desc: ObjectDesc, spec: TaskSpec, source: string, field: string): void {
  const where = `${field}: "${desc.name}"`;
  const binSide = Math.min(...spec.bin.inner);
  const size = largestExtent(desc.shape);
  if (2 * footprintRadius(desc.shape) > binSide - 0.02) {
    throw new InputError(source, `${where} is ${cm(2 * footprintRadius(desc.shape))} across and cannot fit the ${cm(binSide)} bin`);
  }
  if (size > spec.bin.wallHeight * 3) {
    throw new InputError(source, `${where} is ${cm(size)} tall, more than three bin walls (${cm(spec.bin.wallHeight)}) high`);
  }
  const width = narrowestWidth(footprintAtRest(desc));
  if (width + GRASP_CLEARANCE > spec.gripper.maxOpening) {
    throw new InputError(source, `${where} is ${cm(width)} wide at its narrowest; the gripper opens ${cm(spec.gripper.maxOpening)} and must open ${cm(GRASP_CLEARANCE)} wider than the object`);
  }
}

/**
 * Random sequential placement jams near half the floor; stay below 40 %, counting each object's
 * footprint grown by the layout's gap. Piles stack, so they are not held to it.
 */
function checkRoomToScatter(pool: readonly ObjectDesc[], spec: TaskSpec, source: string): void {
  if (spec.layout === 'pile') return;
  const count = spec.objects.count;
  const maxCount = typeof count === 'number' ? count : count.max;
  const areas = pool.map((o) => claimedArea(o, spec.layout)).sort((a, b) => b - a);
  let area = 0;
  for (let i = 0; i < maxCount; i++) area += areas[i % areas.length];
  const floor = spec.bin.inner[0] * spec.bin.inner[1];
  if (area > MAX_FLOOR_SHARE * floor) {
    throw new InputError(
      source,
      `objects.count: ${maxCount} of the largest objects in this pool need ${Math.round(area * 1e4)} cm² of the ${Math.round(floor * 1e4)} cm² bin floor; at most ${MAX_FLOOR_SHARE * 100} % can be filled without overlap`,
    );
  }
}

const cm = (metres: number) => `${(metres * 100).toFixed(1)} cm`;
