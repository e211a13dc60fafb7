import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadPolicyManifest, loadSweepSpec, type SweepSpec } from '../../config/index.js';
import { InputError, sha256Hex } from '../../core/index.js';
import { loadTask, tasksDir } from '../../env/index.js';
import { DEFAULT_TRACKER, loadPerception, parseTrackerChoice, trackerModelFiles, type TrackerChoice } from '../../perception/index.js';
import { policyManifest } from '../../policy/index.js';
import { learnedTrackerManifest, modelsDir, parsePolicyRef, policyFor, rowPolicyName } from './policyFor.js';

/**
 * A sweep spec checked against the world: its tasks loaded, its policies loaded once (a broken
 * model fails here, before anything is written), and the fingerprint of everything that decides
 * its results.
 */
export interface ResolvedSweep {
  /** The spec with policies named as their rows name them (an onnx:<manifest> by its manifest's name). */
  spec: SweepSpec;
  /** What each policy was called in the spec file, in the same order: how workers load them. */
  policyRefs: string[];
  /** The task of each spec entry: a built-in name or an absolute file path. */
  taskRefs: string[];
  taskIds: string[];
  /** sha256 of each task's full spec, in the same order. */
  taskHashes: string[];
  /** sha256 of the spec, the task specs and the policy files: equal hashes, equal results. */
  configHash: string;
  /** sha256 of each policy's manifest and model (the expert: its name), by policy name. */
  models: Record<string, string>;
}

/**
 * Every check a sweep's inputs get before it runs; each problem is one InputError line.
 * `overrides` replace the spec's episodes per cell (the bench's quick size) and tracker (the
 * command line's); they are part of the hash.
 */
export async function resolveSweep(specPath: string, overrides: { episodes?: number; tracker?: string } = {}): Promise<ResolvedSweep> {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const spec = { ...loadSweepSpec(specPath), ...defined };
  return resolveSpec(spec, dirname(specPath), { task: (i) => `${specPath}: tasks[${i}]`, policy: (i) => `${specPath}: policies[${i}]`, tracker: `${specPath}: tracker`, occlusionMode: `${specPath}: occlusionMode` });
}

/** Where each part of a spec came from, for the one line that reports a problem with it. */
export interface SpecSources {
  task(i: number): string;
  policy(i: number): string;
  tracker: string;
  occlusionMode: string;
}

/**
 * Checks a sweep spec (from a file, or the one cell `eval` makes of its flags); task files are
 * relative to `baseDir`.
 */
export async function resolveSpec(spec: SweepSpec, baseDir: string, sources: SpecSources): Promise<ResolvedSweep> {
  const taskRefs = spec.tasks.map((t) => (existsSync(join(tasksDir(), `${t}.json`)) && !t.endsWith('.json') ? t : resolve(baseDir, t)));
  const tasks = taskRefs.map((ref, i) => loadTask(ref, sources.task(i)));
  const taskIds = tasks.map((t) => t.spec.id);
  const twice = taskIds.find((id, i) => taskIds.indexOf(id) !== i);
  if (twice) throw new InputError(sources.task(taskIds.indexOf(twice, taskIds.indexOf(twice) + 1)), `two tasks have the id "${twice}"`);
  const pushless = tasks.find((t) => !t.spec.pusher);
  if (spec.occlusionMode.startsWith('push:') && pushless) {
    throw new InputError(sources.occlusionMode, `${spec.occlusionMode} blacks out the pusher's stroke, and task "${pushless.spec.id}" has no pusher`);
  }
  const tracker = spec.tracker === undefined ? undefined : parseTrackerChoice(spec.tracker, sources.tracker);
  // The probe runs the tracker beside every policy: a tracker that cannot load fails here.
  if (tracker) for (const task of tasks) await loadPerception(tracker, task.spec, learnedTrackerManifest());

  const labels: string[] = [];
  const models: Record<string, string> = {};
  for (const [i, ref] of spec.policies.entries()) {
    for (const task of tasks) {
      const policy = await policyFor(ref, task, tracker, sources.policy(i));
      if (task === tasks[0]) labels.push(rowPolicyName(ref, policy.name));
    }
    if (labels.indexOf(labels[i]) !== i) throw new InputError(sources.policy(i), `another policy is also named "${labels[i]}"`);
    models[labels[i]] = policyFingerprint(ref, tracker ?? DEFAULT_TRACKER);
  }
  const named = { ...spec, policies: labels, reference: spec.reference === undefined ? undefined : labels[spec.policies.indexOf(spec.reference)] };
  // Keys from 0 hash as before `firstKey` existed, so that folders written then still resume.
  const { firstKey, ...fromZero } = named;
  const configHash = sha256Hex(JSON.stringify({ spec: firstKey ? named : fromZero, tasks: tasks.map((t) => t.spec), models }));
  return { spec: named, policyRefs: spec.policies, taskRefs, taskIds, taskHashes: tasks.map((t) => sha256Hex(JSON.stringify(t.spec))), configHash, models };
}

/**
 * sha256 over a learned policy's manifest and ONNX bytes and its perception's (the tracker's
 * manifest and modules; an oracle is code); the expert is code, named by itself.
 */
function policyFingerprint(ref: string, sweepTracker: TrackerChoice): string {
  const { name, tracker = sweepTracker } = parsePolicyRef(ref);
  const manifestPath = policyManifest(name, modelsDir());
  if (!manifestPath) return name;
  const manifest = loadPolicyManifest(manifestPath);
  const model = readFileSync(resolve(dirname(manifestPath), manifest.file));
  const perception = tracker.kind === 'oracle' ? [] : [learnedTrackerManifest(), ...(tracker.kind === 'sam2' ? [tracker.manifest] : [])].flatMap(trackerModelFiles).map((f) => readFileSync(f));
  return sha256Hex(Buffer.concat([readFileSync(manifestPath), model, ...perception]));
}
