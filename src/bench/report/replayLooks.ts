import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TaskSpecSchema, type ObjectDesc, type TaskSpec } from '../../config/index.js';
import { InputError } from '../../core/index.js';
import { loadTask, tasksDir } from '../../env/index.js';
import { CATALOG, gripperBoxes, PADDLE, supportPoints, type Task } from '../../sim/index.js';
import type { ObjectLook, TaskLook } from './ReportData.js';

/**
 * The geometry a replay draws, for each task of a sweep: its bin, hand, pusher and camera, and the
 * look of every object its pool can spawn. Tasks are found as the sweep found them: a built-in
 * name, or a file (absolute, or relative to the working folder or to the results folder). A task
 * file that moved is no reason to refuse the whole report: it gets the default bin and the
 * catalog's objects, and a note says so.
 */
export function replayLooks(specTasks: readonly string[], taskIds: readonly string[], resultsDir: string): { tasks: Record<string, TaskLook>; objects: Record<string, ObjectLook>; notes: string[] } {
  const tasks: Record<string, TaskLook> = {};
  const objects: Record<string, ObjectLook> = {};
  const notes: string[] = [];
  taskIds.forEach((id, i) => {
    const ref = specTasks[i] ?? id;
    const found = findTask(ref, resultsDir, notes);
    if (!found) notes.push(`task "${id}": no valid task file "${ref}" found; the replay draws the default bin and the catalog's objects`);
    const spec = found?.spec ?? TaskSpecSchema.parse({ id, objects: { count: 1, pool: ['cubes'] } });
    tasks[id] = taskLook(spec);
    for (const desc of found?.pool ?? CATALOG.values()) objects[desc.name] = objectLook(desc);
  });
  return { tasks, objects, notes };
}

function findTask(ref: string, resultsDir: string, notes: string[]): Task | undefined {
  if (!ref.endsWith('.json') && existsSync(join(tasksDir(), `${ref}.json`))) return loadTask(ref);
  const path = [ref, resolve(resultsDir, ref)].find((p) => existsSync(p));
  if (!path) return undefined;
  try {
    return loadTask(path, path);
  } catch (err) {
    // A task file changed since the sweep ran: the report goes on, and says why the replay may differ.
    if (!(err instanceof InputError)) throw err;
    notes.push(err.message);
    return undefined;
  }
}

function taskLook(spec: TaskSpec): TaskLook {
  const { position, lookAt, fov } = spec.cameras.scene;
  return {
    bin: { inner: spec.bin.inner, wallHeight: spec.bin.wallHeight, wallThickness: spec.bin.wallThickness },
    gripper: gripperBoxes(spec.gripper.maxOpening),
    pusher: spec.pusher ? [PADDLE.thickness / 2, PADDLE.width / 2, PADDLE.height / 2] : null,
    camera: { position, lookAt, fov },
    controlHz: spec.control.controlHz,
    liftHeight: spec.success.liftHeight,
  };
}

/** Hull points to 0.01 mm: far below a pixel, and data.js stays small. */
const round = (v: number) => Math.round(v * 1e5) / 1e5;

function objectLook(desc: ObjectDesc): ObjectLook {
  const { shape, colour } = desc;
  if (shape.kind === 'box') return { kind: shape.kind, colour, box: shape.size };
  return { kind: shape.kind, colour, hull: supportPoints(shape).flatMap((p) => [round(p.x), round(p.y), round(p.z)]) };
}
