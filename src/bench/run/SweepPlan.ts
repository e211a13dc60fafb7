import type { SweepSpec } from '../../config/index.js';
import { InputError, type EpisodeKey } from '../../core/index.js';
import { parseOcclusionMode, type OcclusionMode } from '../../env/index.js';
import { unitId, unitOfKey } from '../episode/Cell.js';
import type { EpisodeRow } from '../episode/EpisodeRow.js';

/** One unit of work: a policy on one episode key. */
export interface SweepUnit {
  policy: string;
  key: EpisodeKey;
}

/** Which part of a sweep's keys a run does: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** `i/N` with 1 <= i <= N; anything else is the user's error. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InputError(flag, `expected i/N with 1 <= i <= N (like 2/4), got "${text}"`);
  }
  return { index, count };
}

export const formatShard = (s: Shard) => `${s.index}/${s.count}`;

/**
 * The deterministic enumeration of a sweep: cells in spec order (task, objects, occlusion), keys
 * firstKey..firstKey+episodes-1 in each, and every policy on each key, in spec order. A shard
 * takes every N-th key (all policies of a key stay together, so a shard's pairs are complete);
 * `units` is this shard's part in canonical order, which is also the order of its `episodes.csv`.
 */
export class SweepPlan {
  readonly occlusionMode: OcclusionMode;
  /** Every unit of the whole sweep, in canonical order. */
  readonly allUnits: readonly SweepUnit[];
  /** This shard's units, in canonical order. */
  readonly units: readonly SweepUnit[];
  private readonly order = new Map<string, number>();

  constructor(
    readonly spec: SweepSpec,
    /** Task ids (the `task` field of keys), in spec order. */
    readonly taskIds: readonly string[],
    readonly shard: Shard = WHOLE,
  ) {
    this.occlusionMode = parseOcclusionMode(spec.occlusionMode, 'occlusionMode');
    const all: SweepUnit[] = [];
    const mine: SweepUnit[] = [];
    let keyNumber = 0;
    for (const task of taskIds) {
      for (const objects of spec.objects) {
        for (const occlusion of spec.occlusion) {
          for (let index = spec.firstKey; index < spec.firstKey + spec.episodes; index++, keyNumber++) {
            const key: EpisodeKey = { task, objects, occlusion, index };
            for (const policy of spec.policies) {
              const unit = { policy, key };
              this.order.set(this.unitId(unit), all.length);
              all.push(unit);
              if (keyNumber % shard.count === shard.index - 1) mine.push(unit);
            }
          }
        }
      }
    }
    this.allUnits = all;
    this.units = mine;
  }

  /** A unit's identity: the string `unitId` (Cell.ts) makes from the unit's CSV row. */
  unitId(unit: SweepUnit): string {
    return unitId(unitOfKey(unit.key, this.occlusionMode, unit.policy));
  }

  /** Canonical position of a row's unit in the whole sweep, or -1 if the sweep has no such unit. */
  positionOfRow(row: EpisodeRow): number {
    return this.order.get(unitId(row)) ?? -1;
  }

}
