import type { TaskSpec } from '../config/index.js';
import { InputError, type Rng } from '../core/index.js';
import type { PromptableTracker } from './PromptableTracker.js';
import { Sam2OnnxTracker } from './Sam2OnnxTracker.js';
import { SimulatedSam2 } from './SimulatedSam2.js';

/** `sim` (SimulatedSam2) or `sam2:path/to/manifest.json` (Sam2OnnxTracker), as the CLI takes it. */
export type TrackerChoice = { kind: 'sim' } | { kind: 'sam2'; manifest: string };

export function parseTrackerChoice(text: string, where = '--tracker'): TrackerChoice {
  if (text === 'sim') return { kind: 'sim' };
  if (text.startsWith('sam2:') && text.length > 5) return { kind: 'sam2', manifest: text.slice(5) };
  throw new InputError(where, `expected sim or sam2:path/to/manifest.json, got "${text}"`);
}

export function formatTrackerChoice(choice: TrackerChoice): string {
  return choice.kind === 'sim' ? 'sim' : `sam2:${choice.manifest}`;
}

/**
 * Makes trackers of the chosen kind, one per episode. A SAM2 export is loaded and checked once,
 * here, so a bad manifest fails before any episode runs; every episode's tracker then shares its
 * sessions, with a memory of its own.
 */
export async function trackerFactory(choice: TrackerChoice, spec: TaskSpec): Promise<(rng: Rng) => Promise<PromptableTracker>> {
  if (choice.kind === 'sim') return async (rng) => new SimulatedSam2(rng, spec.perception.tracker);
  const loaded = await Sam2OnnxTracker.load(choice.manifest);
  return async () => loaded.fresh();
}
