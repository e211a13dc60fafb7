import { formatObjectCount, type EpisodeKey } from '../../core/index.js';
import { formatOcclusionMode, type OcclusionMode } from '../../env/index.js';

/**
 * A cell of results: the episodes of one task, object count, occlusion level and occlusion mode,
 * in the words of their CSV rows. Rows are summarised and gated per policy and cell, and paired
 * between policies within a cell; a unit (one row) is a cell's key index run by one policy. This
 * module is the one place these identities are made: the plan, the rows, the summaries, the
 * paired tests, resume, merge and the gate all use it.
 */
export interface Cell {
  task: string;
  objects: string;
  occlusion: string;
  occlusion_mode: string;
}

/** One row's identity: its cell, the index of its key and the policy that ran it. */
export interface Unit extends Cell {
  index: string;
  policy: string;
}

/** The cell of an episode key run under an occlusion mode, as its row writes it. */
export function cellOfKey(key: EpisodeKey, occlusionMode: OcclusionMode): Cell {
  return { task: key.task, objects: formatObjectCount(key.objects), occlusion: String(key.occlusion), occlusion_mode: formatOcclusionMode(occlusionMode) };
}

/** The unit of a policy on an episode key, as its row writes it. */
export function unitOfKey(key: EpisodeKey, occlusionMode: OcclusionMode, policy: string): Unit {
  return { ...cellOfKey(key, occlusionMode), index: String(key.index), policy };
}

/** Just the cell fields of a row (or of anything that carries them). */
export function cellOf({ task, objects, occlusion, occlusion_mode }: Cell): Cell {
  return { task, objects, occlusion, occlusion_mode };
}

// Cell fields never hold `|` (task ids, object counts, levels and modes are validated), so the
// joined strings below are unambiguous even when a policy name holds one.

/** A cell as a string: equal strings, the same cell. */
export function cellId(cell: Cell): string {
  return [cell.task, cell.objects, cell.occlusion, cell.occlusion_mode].join('|');
}

/** A policy's cell as a string: what summaries and the gate group rows by. */
export function policyCellId(row: Cell & { policy: string }): string {
  return `${cellId(row)}|${row.policy}`;
}

/** A unit as a string: two rows with the same one are the same policy on the same episode key. */
export function unitId(unit: Unit): string {
  return `${cellId(unit)}|${unit.index}|${unit.policy}`;
}

/** A cell for people: `cubes 3-6 objects, occlusion 0.2 frames`. */
export function cellLabel(cell: Cell): string {
  return `${cell.task} ${cell.objects} objects, occlusion ${cell.occlusion} ${cell.occlusion_mode}`;
}
