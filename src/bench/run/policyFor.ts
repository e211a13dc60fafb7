import { join } from 'node:path';
import { projectPackage } from '../../core/index.js';
import { DEFAULT_TRACKER, formatTrackerChoice, loadPerception, parseTrackerChoice, type TrackerChoice } from '../../perception/index.js';
import { createPolicy, type Policy } from '../../policy/index.js';
import type { Task } from '../../sim/index.js';

/** Where the shipped heads, the frozen encoder and the learned tracker live. */
export function modelsDir(): string {
  return join(projectPackage().root, 'assets', 'models');
}

/** The learned tracker's manifest. */
export function learnedTrackerManifest(): string {
  return join(modelsDir(), 'tracker', 'tracker.json');
}

/**
 * The named policy for a task, its perception using the chosen tracker (default: learned); an
 * unknown name or a broken model is reported against `where`. A name may carry its own tracker,
 * `NAME@TRACKER` (`sam2grasp@oracle`): how a sweep puts one policy with two trackers side by side.
 */
export async function policyFor(ref: string, task: Task, tracker: TrackerChoice = DEFAULT_TRACKER, where = '--policy'): Promise<Policy> {
  const { name, tracker: own } = parsePolicyRef(ref, where);
  const perception = () => loadPerception(own ?? tracker, task.spec, learnedTrackerManifest());
  return createPolicy(name, { modelsDir: modelsDir(), perception, spec: task.spec }, where);
}

/** `NAME` or `NAME@TRACKER`, TRACKER as `--tracker` takes it. */
export function parsePolicyRef(ref: string, where = '--policy'): { name: string; tracker?: TrackerChoice } {
  const match = /^(.+?)@((?:learned|oracle|sam2:).*)$/.exec(ref);
  return match ? { name: match[1], tracker: parseTrackerChoice(match[2], where) } : { name: ref };
}

/**
 * A policy's name in results: its own, and the tracker a sweep gave it (`sam2grasp@oracle`), so
 * that one policy with two trackers makes two cells.
 */
export function rowPolicyName(ref: string, name: string): string {
  const { tracker } = parsePolicyRef(ref);
  return tracker ? `${name}@${formatTrackerChoice(tracker)}` : name;
}
