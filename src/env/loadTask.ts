import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTaskSpec } from '../config/index.js';
import { InputError, projectPackage } from '../core/index.js';
import { checkCameras } from '../render/index.js';
import { resolveTask, type Task } from '../sim/index.js';

/** The built-in task files' folder. */
export function tasksDir(): string {
  return join(projectPackage().root, 'scenes', 'tasks');
}

/**
 * Loads a task from a file path, or by the name of a built-in task (`cubes` is
 * `scenes/tasks/cubes.json`), validated down to its catalog names and sizes.
 */
export function loadTask(pathOrName: string, flag = '--task'): Task {
  const builtIn = join(tasksDir(), `${pathOrName}.json`);
  const path = !pathOrName.endsWith('.json') && existsSync(builtIn) ? builtIn : pathOrName;
  if (!existsSync(path)) {
    const known = readdirSync(tasksDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    throw new InputError(flag, `no such task file or built-in task "${pathOrName}" (built-in: ${known.join(', ')})`);
  }
  const spec = loadTaskSpec(path);
  checkCameras(spec, path);
  return resolveTask(spec, path);
}
