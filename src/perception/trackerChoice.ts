import { InputError } from '../core/index.js';

/**
 * Which tracker a prompted policy uses, as the CLI takes it (`--tracker`):
 * - `learned`: the harness's own learned tracker (assets/models/tracker), the default;
 * - `oracle`: `OracleTracker`, which reads the ground truth's segment ids: an upper bound;
 * - `sam2:path/to/manifest.json`: any four-module export, such as the real SAM2.
 */
export type TrackerChoice = { kind: 'learned' } | { kind: 'oracle' } | { kind: 'sam2'; manifest: string };

export const DEFAULT_TRACKER: TrackerChoice = { kind: 'learned' };

export function parseTrackerChoice(text: string, where = '--tracker'): TrackerChoice {
  if (text === 'learned' || text === 'oracle') return { kind: text };
  if (text.startsWith('sam2:') && text.length > 5) return { kind: 'sam2', manifest: text.slice(5) };
  throw new InputError(where, `expected learned, oracle or sam2:path/to/manifest.json, got "${text}"`);
}

export function formatTrackerChoice(choice: TrackerChoice): string {
  return choice.kind === 'sam2' ? `sam2:${choice.manifest}` : choice.kind;
}
