import type { EpisodeKey } from '../../core/index.js';
import { GraspEnv, loadTask, OcclusionWrapper, parseOcclusionMode, type Env } from '../../env/index.js';
import { loadPerception, parseTrackerChoice, shareSessions, type Perception } from '../../perception/index.js';
import type { Policy } from '../../policy/index.js';
import type { Task } from '../../sim/index.js';
import { unitId } from '../episode/Cell.js';
import { combineHooks } from '../episode/EpisodeHooks.js';
import { Lockstep } from '../episode/Lockstep.js';
import { toEpisodeRow, type EpisodeRow } from '../episode/EpisodeRow.js';
import { runEpisode } from '../episode/runEpisode.js';
import { TrackingProbe } from '../episode/TrackingProbe.js';
import { MotionRecorder } from '../record/MotionRecorder.js';
import { InstancePool } from './InstancePool.js';
import { learnedTrackerManifest, policyFor, rowPolicyName } from './policyFor.js';

/** What a worker needs to run one unit of a sweep; plain data, so it crosses threads. */
export interface UnitJob {
  /** The task file (absolute) or built-in name. */
  taskRef: string;
  policy: string;
  key: EpisodeKey;
  occlusionMode: string;
  /** The sweep's tracker (`--tracker`): the default of prompted policies, and the probe's. */
  tracker?: string;
  /** Record the episode's motion (motion.bin). */
  record: boolean;
  /** Episodes this thread steps together (`--batch`): their models' calls are batched. */
  batch: number;
}

export interface UnitResult {
  row: EpisodeRow;
  /** Wall time of the episode in this worker, for run.json (never in the rows). */
  milliseconds: number;
  /** The motion record, when recording. */
  motion?: Uint8Array;
}

// Loaded once per thread and reused: the episode's result depends on its key alone, never on
// what this thread ran before (the env rebuilds its world at reset, policies reset their memory).
// Envs and policies hold an episode's state, so each episode in flight takes its own (`--batch`
// runs several at once); tasks and the tracking probe's perception hold none, and are shared.
const tasks = new Map<string, Task>();
const envs = new InstancePool<Env>();
const policies = new InstancePool<Policy>();
const perceptions = new Map<string, Promise<Perception>>();
const lockstep = new Lockstep();

function taskOf(ref: string): Task {
  let task = tasks.get(ref);
  if (!task) tasks.set(ref, (task = loadTask(ref)));
  return task;
}

function cached<T>(map: Map<string, Promise<T>>, id: string, make: () => Promise<T>): Promise<T> {
  let value = map.get(id);
  if (!value) map.set(id, (value = make()));
  return value;
}

/** Runs one policy on one key and returns its CSV row. Throws on a fault the episode cannot record. */
export async function runUnit(job: UnitJob): Promise<UnitResult> {
  const started = performance.now();
  shareSessions(job.batch);
  const task = taskOf(job.taskRef);
  const mode = parseOcclusionMode(job.occlusionMode, 'occlusionMode');
  const tracker = job.tracker === undefined ? undefined : parseTrackerChoice(job.tracker);
  const envId = `${job.taskRef}|${job.key.occlusion}|${job.occlusionMode}`;
  const policyId = `${job.taskRef}|${job.policy}|${job.tracker}`;
  const env = await envs.take(envId, async () => new OcclusionWrapper(await GraspEnv.create(task), job.key.occlusion, mode));
  const leave = lockstep.join();
  let policy: Policy | undefined;
  try {
    policy = await policies.take(policyId, () => policyFor(job.policy, task, tracker));
    const perception = tracker && (await cached(perceptions, `${job.taskRef}|${job.tracker}`, () => loadPerception(tracker, task.spec, learnedTrackerManifest())));
    const probe = perception ? new TrackingProbe(env, perception) : undefined;
    const recorder = job.record ? new MotionRecorder(env, policy.prompted === true) : undefined;
    const result = await runEpisode(env, policy, job.key, combineHooks(...[probe, recorder, job.batch > 1 ? lockstep.hooks : undefined].filter((h) => h !== undefined)));
    if (probe) result.tracking = probe.metrics();
    const row = toEpisodeRow({ ...result, policy: rowPolicyName(job.policy, result.policy) }, mode);
    return { row, milliseconds: performance.now() - started, motion: recorder?.finish(unitId(row)) };
  } finally {
    leave();
    if (policy) policies.give(policyId, policy);
    envs.give(envId, env);
  }
}

/** The pool's entry point (tinypool calls the default export). */
export default runUnit;
