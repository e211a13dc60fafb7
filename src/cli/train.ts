import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { learnedTrackerManifest, modelsDir } from '../bench/index.js';
import { cacheProgress, collectionProgress, environmentFacts, InputError, lazyProgress, writeFileAtomic } from '../core/index.js';
import { taskObjectCount } from '../config/index.js';
import { loadTask } from '../env/index.js';
import { cacheFeatures, collectDemos, DEFAULT_OCCLUDED_SHARE, DEFAULT_SINGLE_SHARE, DEFAULT_START_SPREAD, DEFAULT_TRAINING, DemoStore, refuseEvaluationKeys, DEFAULT_DIFFUSION_EPOCHS, DEFAULT_DENOISER, shipHead, trainDiffusionHead, trainHead, type DenoiserConfig, type TrainingRecord, type TrainOptions } from '../learn/index.js';
import { conditionedLength, DEFAULT_TRACKER, FEATURES_VERSION, FeatureEncoder, formatTrackerChoice, loadPerception } from '../perception/index.js';
import { DIFFUSION_PREDICTIONS, LEARNED_POLICIES, type DiffusionPrediction } from '../policy/index.js';
import { fractionFlag, intFlag, objectsFlag, parseFlags, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'reproduce the learned heads: collect, cache, train, export (npm run train)';

export const usage = `usage: sam2grasp train [--task TASK] [--demos N] [--objects K|A-B] [--single SHARE] [--epochs N] [--loss l1|mse] [--only NAME,...] [--start-spread M] [--occluded SHARE] [--tracker T] [--seed SEED] [--prediction P] [--min-snr-gamma G] [--work DIR] [--out DIR]

Collects expert demonstrations (resumable), caches the frozen perception's features, trains the
ACT-style heads of act (none), act-cvae (none, CVAE), act-condition (box) and sam2grasp (tracker),
and the Diffusion Policy heads dp (none) and dp-prompted (tracker), on the same demonstrations
with the same budget, exports each to ONNX after a parity check, and writes <name>.onnx,
<name>.json and training-<name>.json.

  --task    task, or tasks separated by commas: the demonstrations are split evenly over
            them (default: cubes,lookalike,nudge,pile,packed, as the shipped heads)
  --demos   demonstrations in all (default: 500)
  --objects object count or range of the demonstrations (default: 1 to the task's most)
  --single  share of demonstrations with a single object (default: ${DEFAULT_SINGLE_SHARE})
  --epochs  epochs per head (default: ${DEFAULT_TRAINING.epochs}, and ${DEFAULT_DIFFUSION_EPOCHS} for the diffusion heads)
  --noisy   DART share (default: 0.3)
  --only    comma-separated heads to train (default: all six)
  --loss    l1 (ACT, default) or mse (the paper's Eq. 1)
  --seed    names the heads' initialisation, data order and validation split (default: ${DEFAULT_TRAINING.seed})
  --prediction  what the diffusion heads predict: epsilon (the noise, default), sample (the clean
                chunk) or v_prediction (the velocity; docs/learning.md measures it)
  --min-snr-gamma  weight the diffusion heads' loss by Min-SNR-gamma, 1 to 100, or none
                   (default: each head's own: 5 for dp, none for dp-prompted)
  --start-spread  half-width (m) of the square above the bin where demos start (default: ${DEFAULT_START_SPREAD})
  --occluded      share of demos cached with frames blacked out (default: ${DEFAULT_OCCLUDED_SHARE})
${TRACKER_USAGE}; the perception whose features the heads learn from
  --work    demos and cache folder, a sub-folder per task when there are several
            (default: results/train-<task>[-<task>...])
  --out     where the heads go (default: assets/models)`;

/** The shipped heads' demonstrations: the paper's task, and the tasks that test its claims. */
const DEFAULT_TASKS = 'cubes,lookalike,nudge,pile,packed';

/**
 * The shipped heads. A diffusion head's `temperature` (its sampler's starting noise) was chosen
 * after training on keys no table uses (`eval --first-key 3000000 --episodes 200`, at 1, 0.75,
 * 0.5, 0.25 and 0): for `dp` the one that lifts a lone cube most often, for `dp-prompted` the one
 * that lifts the target among 3-6 cubes most often (docs/learning.md).
 */
const SPECS = {
  act: { conditioning: 'none', cvae: false, diffusion: null },
  'act-cvae': { conditioning: 'none', cvae: true, diffusion: null },
  'act-condition': { conditioning: 'box', cvae: false, diffusion: null },
  sam2grasp: { conditioning: 'tracker', cvae: false, diffusion: null },
  dp: { conditioning: 'none', cvae: false, diffusion: { temperature: 0.25, minSnrGamma: 5 } },
  'dp-prompted': { conditioning: 'tracker', cvae: false, diffusion: { temperature: 0.25 } },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' }, demos: { type: 'string' }, epochs: { type: 'string' }, noisy: { type: 'string' }, single: { type: 'string' },
    only: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' }, loss: { type: 'string' }, objects: { type: 'string' }, 'start-spread': { type: 'string' }, occluded: { type: 'string' }, seed: { type: 'string' }, tracker: { type: 'string' }, prediction: { type: 'string' }, 'min-snr-gamma': { type: 'string' },
  });
  if (values.help) return (console.log(usage), 0);
  const tasks = (values.task ?? DEFAULT_TASKS).split(',').map((ref) => loadTask(ref));
  const ids = tasks.map((t) => t.spec.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new InputError('--task', `task "${twice}" is named twice`);
  const demos = intFlag(values.demos, '--demos', 500, tasks.length, 100_000);
  const epochsGiven = values.epochs === undefined ? undefined : intFlag(values.epochs, '--epochs', DEFAULT_TRAINING.epochs, 1, 10_000);
  const noisyShare = fractionFlag(values.noisy, '--noisy', 0.3);
  const singleShare = fractionFlag(values.single, '--single', DEFAULT_SINGLE_SHARE);
  const loss = values.loss ?? 'l1';
  const seed = values.seed ?? DEFAULT_TRAINING.seed;
  if (seed.length === 0) throw new InputError('--seed', 'expected a non-empty name');
  const startSpread = fractionFlag(values['start-spread'], '--start-spread', DEFAULT_START_SPREAD);
  const occludedShare = fractionFlag(values.occluded, '--occluded', DEFAULT_OCCLUDED_SHARE);
  if (loss !== 'l1' && loss !== 'mse') throw new InputError('--loss', `expected l1 or mse, got "${loss}"`);
  const prediction = predictionFlag(values.prediction);
  const minSnrGamma = minSnrGammaFlag(values['min-snr-gamma']);
  const names = values.only ? values.only.split(',') : [...LEARNED_POLICIES];
  const unknown = names.find((n) => !(n in SPECS));
  if (unknown) throw new InputError('--only', `unknown head "${unknown}" (heads: ${LEARNED_POLICIES.join(', ')})`);
  const twiceNamed = names.find((n, i) => names.indexOf(n) !== i);
  if (twiceNamed) throw new InputError('--only', `head "${twiceNamed}" is named twice`);
  const work = values.work ?? `results/train-${tasks.map((t) => t.spec.id).join('-')}`;
  const out = values.out ?? modelsDir();
  const encoder = join(modelsDir(), 'encoder.json');
  const tracker = trackerFlag(values.tracker) ?? DEFAULT_TRACKER;
  const featureLength = conditionedLength(await FeatureEncoder.load(encoder));
  const started = Date.now();

  // The demonstrations, split evenly over the tasks, each task in a folder of its own.
  const data = [];
  for (const [i, task] of tasks.entries()) {
    // From one object up, by default: the heads must also see scenes where nothing is ambiguous.
    const objects = objectsFlag(values.objects, { min: 1, max: taskObjectCount(task.spec).max });
    const taskDemos = Math.floor(demos / tasks.length) + (i < demos % tasks.length ? 1 : 0);
    const taskWork = tasks.length > 1 ? join(work, task.spec.id) : work;
    const store = new DemoStore(join(taskWork, 'demos'));
    refuseEvaluationKeys(store.read(), store.dir);
    const collectProgress = collectionProgress(`collect ${task.spec.id}`, store.read().length, taskDemos);
    const collected = await collectDemos({ task, objects, demos: taskDemos, singleShare, noisyShare, startSpread, store, onDemo: collectProgress.onDemo });
    collectProgress.stop();
    const cacheDir = join(taskWork, 'cache');
    const perception = await loadPerception(tracker, task.spec, learnedTrackerManifest());
    const perceptionFingerprint = perception.fingerprint();
    const cached = existsSync(join(cacheDir, 'cache.json')) ? JSON.parse(readFileSync(join(cacheDir, 'cache.json'), 'utf8')) : null;
    const cacheFresh = cached?.featureLength === featureLength && cached.featuresVersion === FEATURES_VERSION && cached.perceptionFingerprint === perceptionFingerprint && cached.occludedShare === occludedShare && cached.demos.length === store.read().filter((d) => d.prompt).length;
    const cacheStarted = Date.now();
    if (!cacheFresh) {
      const progress = cacheProgress();
      await cacheFeatures(store, task, encoder, perception, cacheDir, occludedShare, progress.onDemo);
      progress.stop();
    }
    data.push({ task: task.spec.id, objects, demos: collected.stored, episodesTried: collected.tried, demoStore: store.dir, cacheDir, perceptionFingerprint, cacheSeconds: (Date.now() - cacheStarted) / 1000 });
  }
  const cacheDirs = data.map((d) => d.cacheDir);
  mkdirSync(out, { recursive: true });

  for (const name of names) {
    const spec = SPECS[name as keyof typeof SPECS];
    const epochs = epochsGiven ?? (spec.diffusion ? DEFAULT_DIFFUSION_EPOCHS : DEFAULT_TRAINING.epochs);
    const bar = lazyProgress(name, 'batches');
    let validation = '-';
    const options: TrainOptions = {
      ...DEFAULT_TRAINING, epochs, loss, seed, cacheDirs, mode: spec.conditioning, cvae: spec.cvae,
      onBatch: (epoch, _step, total, epochLoss) => bar.step(total, `epoch ${epoch}/${epochs}, loss ${epochLoss.toFixed(4)}, validation ${validation}`),
      onEpoch: (_epoch, _train, v) => void (validation = v.toFixed(4)),
    };
    const head = spec.diffusion ? await trainDiffusionHead({ ...options, denoiser: { ...spec.diffusion, prediction, ...(minSnrGamma !== undefined && { minSnrGamma }) } }) : await trainHead(options);
    bar.stop();
    const parity = await shipHead(head, name, spec.conditioning, out, encoder);
    const record: TrainingRecord = {
      policy: name,
      conditioning: spec.conditioning,
      cvae: spec.cvae,
      data: { tasks: data, perception: formatTrackerChoice(tracker), singleShare, noisyShare, startSpread, occludedShare, rows: head.rows },
      training: { ...DEFAULT_TRAINING, epochs, loss: head.config.denoiser ? diffusionLossName(head.config.denoiser) : loss, seed, config: head.config },
      losses: head.losses,
      bestEpoch: head.bestEpoch,
      wallSeconds: head.seconds,
      parityMaxAbsDiff: parity,
      packages: environmentFacts().packages as Record<string, string>,
    };
    writeFileAtomic(join(out, `training-${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    const kept = head.losses[head.bestEpoch - 1];
    console.log(`${name}: ${epochs} epochs in ${head.seconds.toFixed(0)} s, kept epoch ${head.bestEpoch} (validation loss ${kept?.validation.toFixed(4)}), parity ${parity.toExponential(1)}`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; heads in ${out}`);
  return 0;
}

function diffusionLossName(denoiser: DenoiserConfig): string {
  const target = { sample: 'clean chunk', epsilon: 'noise', v_prediction: 'velocity' }[denoiser.prediction];
  const weighting = denoiser.minSnrGamma === null ? '' : `, weighted by Min-SNR-${denoiser.minSnrGamma}`;
  return `ddpm (mse on the ${target}${weighting})`;
}

/** `none` turns the weighting off; absent, each head keeps its own (its spec's, or none). */
function minSnrGammaFlag(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  return text === 'none' ? null : intFlag(text, '--min-snr-gamma', 5, 1, 100);
}

function predictionFlag(text: string | undefined): DiffusionPrediction {
  if (text === undefined) return DEFAULT_DENOISER.prediction;
  if (!(DIFFUSION_PREDICTIONS as readonly string[]).includes(text)) throw new InputError('--prediction', `expected ${DIFFUSION_PREDICTIONS.join(', ')}, got "${text}"`);
  return text as DiffusionPrediction;
}
