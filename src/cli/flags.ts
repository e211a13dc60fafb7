import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, parseObjectCount, type ObjectCount } from '../core/index.js';
import { MAX_OBJECTS } from '../config/index.js';
import { parseOcclusionMode } from '../env/index.js';
import { parseTrackerChoice, type TrackerChoice } from '../perception/index.js';
import { DEFAULT_BATCH } from '../bench/index.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs in strict mode, its complaints turned into one-line InputErrors. */
export function parseFlags<T extends Options>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: attachNegativeNumbers(argv), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    const flag = /'(-[-\w]+)/.exec(message)?.[1] ?? 'arguments';
    throw new InputError(flag, message.replace(/^Unknown option '[^']+'/, 'unknown flag').replace(/\. To specify.*$/, ''));
  }
}

/**
 * `--episodes -5` reads to parseArgs as a flag followed by another flag; joining it into
 * `--episodes=-5` lets the value reach validation and get a message about the number.
 */
function attachNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i].startsWith('--') && !argv[i].includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** A whole number within [min, max], or an InputError naming the flag. */
export function intFlag(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InputError(flag, `expected a whole number, got "${value}"`);
  if (n < min || n > max) throw new InputError(flag, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** `--batch`: episodes each worker steps together. */
export const BATCH_FLAG = { batch: { type: 'string' } } as const;

export const BATCH_USAGE = `  --batch    episodes each worker steps together, 1 to 64, their model calls batched (default:
             ${DEFAULT_BATCH}); the results do not depend on it`;

export function batchFlag(value: string | undefined): number {
  return intFlag(value, '--batch', DEFAULT_BATCH, 1, 64);
}

/** `4` or `3-6`, each count between 1 and MAX_OBJECTS. */
export function objectsFlag(value: string | undefined, fallback: ObjectCount, flag = '--objects'): ObjectCount {
  if (value === undefined) return fallback;
  const count = parseObjectCount(value);
  if (!count) throw new InputError(flag, `expected a count like 4 or a range like 3-6, got "${value}"`);
  if (count.min < 1 || count.max > MAX_OBJECTS) throw new InputError(flag, `object counts must be between 1 and ${MAX_OBJECTS}, got ${value}`);
  return count;
}

/** A required flag's value. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new InputError(flag, 'is required');
  return value;
}

/** A number within [min, max), or an InputError naming the flag. */
export function fractionFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(flag, `expected a number, got "${value}"`);
  if (n < 0 || n >= 1) throw new InputError(flag, `must be at least 0 and below 1, got ${n}`);
  return n;
}

/** The flags every command that runs episodes under occlusion shares. */
export const OCCLUSION_FLAGS = {
  occlusion: { type: 'string' },
  'occlusion-mode': { type: 'string' },
} as const;

export const OCCLUSION_USAGE = `  --occlusion       share of control steps whose frames the policy loses, 0 to <1 (default: 0)
  --occlusion-mode  frames (each step independently), windows:L (blackouts of L steps),
                    distractor:L (a card passes over the target for L steps) or push:L (the
                    windows, and one more from the pusher's stroke) (default: frames)`;

export function occlusionFlags(values: { occlusion?: string | boolean; 'occlusion-mode'?: string | boolean }) {
  const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  return {
    occlusion: fractionFlag(text(values.occlusion), '--occlusion', 0),
    occlusionMode: parseOcclusionMode(text(values['occlusion-mode']) ?? 'frames'),
  };
}

export const TRACKER_USAGE = `  --tracker         learned (the harness's learned tracker, the default), oracle (reads the ground
                    truth's segment ids: an upper bound) or sam2:path/to/manifest.json (a SAM2 ONNX export)`;

/** `--tracker learned|oracle|sam2:MANIFEST`, or undefined when not given. */
export function trackerFlag(value: string | undefined): TrackerChoice | undefined {
  return value === undefined ? undefined : parseTrackerChoice(value);
}
