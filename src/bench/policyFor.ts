import { join } from 'node:path';
import { trackerFactory, type TrackerChoice } from '../perception/index.js';
import { createPolicy, type Policy } from '../policy/index.js';
import type { Task } from '../sim/index.js';
import { projectPackage } from './projectPackage.js';

/** Where the shipped heads and the frozen encoder live. */
export function modelsDir(): string {
  return join(projectPackage().root, 'assets', 'models');
}

/**
 * The named policy for a task, its prompted perception using the chosen tracker (default: sim);
 * an unknown name or a broken model is reported against `where`.
 */
export async function policyFor(name: string, task: Task, tracker: TrackerChoice = { kind: 'sim' }, where = '--policy'): Promise<Policy> {
  const makeTracker = await trackerFactory(tracker, task.spec);
  return createPolicy(name, { modelsDir: modelsDir(), makeTracker, controlHz: task.spec.control.controlHz }, where);
}
