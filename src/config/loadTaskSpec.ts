import { readJsonFile, parseSpec } from './parseSpec.js';
import { TaskSpecSchema, type TaskSpec } from './TaskSpec.js';

/** Reads and validates a task spec file (structure only; the sim checks catalog names and sizes). */
export function loadTaskSpec(path: string): TaskSpec {
  return parseSpec(TaskSpecSchema, readJsonFile(path), path);
}
