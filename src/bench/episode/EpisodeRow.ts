import type { EpisodeKey } from '../../core/index.js';
import type { OcclusionMode } from '../../env/index.js';
import { cellOfKey } from './Cell.js';
import type { EpisodeResult } from './runEpisode.js';

/**
 * The columns of `episodes.csv`, in their fixed order. Key fields first, then the scene, then
 * the verdict. Nothing here depends on wall-clock time, the worker or the run order, so two runs
 * of the same command write the same bytes.
 */
export const EPISODE_COLUMNS = [
  'task',
  'objects',
  'occlusion',
  'occlusion_mode',
  'index',
  'policy',
  'perception',
  'n_objects',
  'target',
  'target_name',
  'target_pixels',
  'target_visible',
  'success_target',
  'success_any',
  'lifted_object',
  'failure_reason',
  'steps',
  'grasp_error_m',
  'closing_to_nearest_m',
  'closing_to_centroid_m',
  'closing_to_prepush_m',
  'settle_steps',
  'escaped_at_reset',
  'target_fallback',
  'candidates',
  'success_at_reset',
  'prompt_iou',
  'track_iou',
  'track_iou_blind',
  'track_switches',
  'state_hash',
] as const;

export type EpisodeColumn = (typeof EPISODE_COLUMNS)[number];
export type EpisodeRow = Record<EpisodeColumn, string>;

/** Fixed-precision numbers: a row reads the same on every platform and in every diff. */
const fixed = (value: number | null, digits: number) => (value === null ? '' : value.toFixed(digits));
const flag = (value: boolean) => (value ? '1' : '0');

export function toEpisodeRow(r: EpisodeResult, occlusionMode: OcclusionMode = { kind: 'frames' }): EpisodeRow {
  return {
    ...cellOfKey(r.key, occlusionMode),
    index: String(r.key.index),
    policy: r.policy,
    perception: r.perception,
    n_objects: String(r.reset.nObjects),
    target: String(r.reset.target),
    target_name: r.reset.targetName,
    target_pixels: String(r.reset.targetPixels),
    target_visible: fixed(r.reset.targetVisible, 3),
    success_target: flag(r.outcome.successTarget),
    success_any: flag(r.outcome.successAny),
    lifted_object: r.outcome.liftedObject === null ? '' : String(r.outcome.liftedObject),
    failure_reason: r.outcome.failureReason ?? '',
    steps: String(r.steps),
    grasp_error_m: fixed(r.outcome.graspError, 4),
    closing_to_nearest_m: fixed(r.outcome.closingToNearest, 4),
    closing_to_centroid_m: fixed(r.outcome.closingToCentroid, 4),
    closing_to_prepush_m: fixed(r.outcome.closingToPrepush, 4),
    settle_steps: String(r.reset.settleSteps),
    escaped_at_reset: String(r.reset.escapedAtReset),
    target_fallback: flag(r.reset.targetFallback),
    candidates: String(r.reset.candidates),
    success_at_reset: r.reset.successAtReset.join(';'),
    prompt_iou: fixed(r.tracking?.promptIou ?? null, 3),
    track_iou: fixed(r.tracking?.trackIou ?? null, 3),
    track_iou_blind: fixed(r.tracking?.trackIouBlind ?? null, 3),
    track_switches: r.tracking ? String(r.tracking.switches) : '',
    state_hash: r.stateHash,
  };
}

/**
 * The row of an episode that never finished: the policy or the worker running it threw. It counts
 * as a failure with the reason `crashed`; its scene and state fields stay empty.
 */
export function crashedRow(key: EpisodeKey, policy: string, occlusionMode: OcclusionMode): EpisodeRow {
  const row = Object.fromEntries(EPISODE_COLUMNS.map((c) => [c, ''])) as EpisodeRow;
  return {
    ...row,
    ...cellOfKey(key, occlusionMode),
    index: String(key.index),
    policy,
    success_target: '0',
    success_any: '0',
    failure_reason: CRASHED,
  };
}

/** The failure reason of an episode that threw instead of ending (not an env outcome). */
export const CRASHED = 'crashed';
