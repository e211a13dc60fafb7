import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadPolicyManifest, loadSam2Manifest, loadSweepSpec, type SweepSpec } from '../../config/index.js';
import { InputError, sha256Hex } from '../../core/index.js';
import { loadTask, tasksDir } from '../../env/index.js';
import { DEFAULT_TRACKER } from '../../perception/index.js';
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
  /** sha256 of the spec, the task specs and the policy files: equal hashes, equal results. */
  configHash: string;
  /** sha256 of each policy's manifest and model (the expert: its name), by policy name. */
  models: Record<string, string>;
}

/**
 * Every check a sweep's inputs get before it runs; each problem is one InputError line.
 * `episodes` overrides the spec's count per cell (the bench's quick size); it is part of the hash.
 */
export async function resolveSweep(specPath: string, episodes?: number): Promise<ResolvedSweep> {
  const spec = { ...loadSweepSpec(specPath), ...(episodes === undefined ? {} : { episodes }) };
  const taskRefs = spec.tasks.map((t) => (existsSync(join(tasksDir(), `${t}.json`)) && !t.endsWith('.json') ? t : resolve(dirname(specPath), t)));
  const tasks = taskRefs.map((ref, i) => loadTask(ref, `${specPath}: tasks[${i}]`));
  const taskIds = tasks.map((t) => t.spec.id);
  const twice = taskIds.find((id, i) => taskIds.indexOf(id) !== i);
  if (twice) throw new InputError(`${specPath}: tasks`, `two tasks have the id "${twice}"`);

  const labels: string[] = [];
  const models: Record<string, string> = {};
  for (const [i, ref] of spec.policies.entries()) {
    for (const task of tasks) {
      const policy = await policyFor(ref, task, undefined, `${specPath}: policies[${i}]`);
      if (task === tasks[0]) labels.push(rowPolicyName(ref, policy.name));
    }
    if (labels.indexOf(labels[i]) !== i) throw new InputError(`${specPath}: policies[${i}]`, `another policy is also named "${labels[i]}"`);
    models[labels[i]] = policyFingerprint(ref);
  }
  const named = { ...spec, policies: labels, reference: spec.reference === undefined ? undefined : labels[spec.policies.indexOf(spec.reference)] };
  const configHash = sha256Hex(JSON.stringify({ spec: named, tasks: tasks.map((t) => t.spec), models }));
  return { spec: named, policyRefs: spec.policies, taskRefs, taskIds, configHash, models };
}

/**
 * sha256 over a learned policy's manifest and ONNX bytes and its perception's (the tracker's
 * manifest and modules; an oracle is code); the expert is code, named by itself.
 */
function policyFingerprint(ref: string): string {
  const { name, tracker = DEFAULT_TRACKER } = parsePolicyRef(ref);
  if (name === 'expert') return 'expert';
  const manifestPath = name.startsWith('onnx:') ? name.slice(5) : join(modelsDir(), `${name}.json`);
  const manifest = loadPolicyManifest(manifestPath);
  const model = readFileSync(resolve(dirname(manifestPath), manifest.file));
  const perception = tracker.kind === 'oracle' ? [] : [learnedTrackerManifest(), ...(tracker.kind === 'sam2' ? [tracker.manifest] : [])].flatMap(trackerFiles);
  return sha256Hex(Buffer.concat([readFileSync(manifestPath), model, ...perception]));
}

/** A four-module tracker's manifest and module files, as bytes. */
function trackerFiles(manifestPath: string): Buffer[] {
  const manifest = loadSam2Manifest(manifestPath);
  return [readFileSync(manifestPath), ...Object.values(manifest.modules).map((m) => readFileSync(resolve(dirname(manifestPath), m.file)))];
}
