import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unitId } from '../episode/Cell.js';
import { CRASHED, type EpisodeRow } from '../episode/EpisodeRow.js';
import { EMPTY_RECORD, motionRecords } from '../record/motionCodec.js';
import { readCsv } from './csvFiles.js';
import type { ResolvedSweep } from './resolveSweep.js';

/** A sweep already run (in this process: the same code), whose episodes another sweep may take. */
export interface DonorSweep {
  outDir: string;
  sweep: ResolvedSweep;
}

export interface ReusedEpisode {
  row: EpisodeRow;
  motion: Uint8Array;
}

/**
 * The episodes of `donors` that `sweep` would run to the same bytes, by unit id: an episode is
 * its key, its task spec, its policy's model (and perception), the occlusion mode and the sweep's
 * tracker, and nothing else (determinism.md), so a unit that two sweeps share with all of these
 * equal is run once. `bench` runs Table III after Table I: Table III's p = 0 column is Table I.
 * When recording, only episodes the donor recorded are taken.
 */
export async function reusableEpisodes(sweep: ResolvedSweep, donors: readonly DonorSweep[], record: boolean): Promise<Map<string, ReusedEpisode>> {
  const reusable = new Map<string, ReusedEpisode>();
  for (const donor of donors) {
    const shared = sharedContexts(sweep, donor.sweep);
    const csv = join(donor.outDir, 'episodes.csv');
    if (shared.size === 0 || !existsSync(csv)) continue;
    const rows = (await readCsv(csv)).records as EpisodeRow[];
    const motionPath = join(donor.outDir, 'motion.bin');
    const motions = existsSync(motionPath) ? motionRecords(readFileSync(motionPath)) : [];
    rows.forEach((row, i) => {
      const motion = motions[i] ?? EMPTY_RECORD;
      // A crash is the one outcome not made by the key alone (a worker can die of anything).
      if (!shared.has(`${row.task}|${row.policy}`) || row.failure_reason === CRASHED || (record && motion.length <= EMPTY_RECORD.length)) return;
      reusable.set(unitId(row), { row, motion: record ? motion : EMPTY_RECORD });
    });
  }
  return reusable;
}

/** The `task|policy` pairs whose episodes come out the same in both sweeps (given the same key). */
function sharedContexts(a: ResolvedSweep, b: ResolvedSweep): Set<string> {
  const shared = new Set<string>();
  if (a.spec.occlusionMode !== b.spec.occlusionMode || a.spec.tracker !== b.spec.tracker) return shared;
  for (const [t, task] of a.taskIds.entries()) {
    const u = b.taskIds.indexOf(task);
    if (u < 0 || a.taskHashes[t] !== b.taskHashes[u]) continue;
    for (const [p, policy] of a.spec.policies.entries()) {
      const q = b.spec.policies.indexOf(policy);
      if (q >= 0 && a.policyRefs[p] === b.policyRefs[q] && a.models[policy] === b.models[policy]) shared.add(`${task}|${policy}`);
    }
  }
  return shared;
}
