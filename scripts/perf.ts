/**
 * `npm run perf`: how fast the harness runs on this machine. Speed is measured here, never in
 * tests. Writes results/perf.json and prints it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { learnedTrackerManifest, modelsDir, policyFor, resolveSweep, runEpisode, runSweep, SweepPlan, WHOLE, DEFAULT_BATCH } from '../src/bench/index.js';
import { environmentFacts, sceneRng, STREAMS, tuneGarbageCollector, writeFileAtomic, type OrientedBox } from '../src/core/index.js';
import { GraspEnv, handBoxesAt, loadTask, type Observation } from '../src/env/index.js';
import ort from 'onnxruntime-node';
import { loadPolicyManifest } from '../src/config/index.js';
import { LEARNED_POLICIES, loadChunkHead, ScriptedExpert } from '../src/policy/index.js';
import { cameraModelOf, cloneFrame, makeSceneCamera, objectSegmentId, SceneMirror, sensorView, SoftwareRenderer, type Frame } from '../src/render/index.js';
import { conditionedFeatures, FeatureEncoder, IdsDetector, loadPerception, type Perception } from '../src/perception/index.js';
import { Rng } from '../src/core/index.js';
import { GraspWorld, initPhysics, planLayout, type Layout, type Task } from '../src/sim/index.js';

const PHYSICS_STEPS = 6000;

/** Physics steps per second with `n` cubes in the bin and the palm sweeping above them. */
function physicsRate(n: number, keepAwake: boolean): number {
  const gw = settledScene(loadTask('cubes'), 'scattered', n);
  const gripper = gw.gripper;
  const start = process.hrtime.bigint();
  for (let i = 0; i < PHYSICS_STEPS; i++) {
    if (i % 240 === 0) gripper.setTarget({ x: ((i / 240) % 2) * 0.1 - 0.05, y: 0, z: 0.2, yaw: i / 1000 });
    if (keepAwake) for (const o of gw.objects) o.body.wakeUp();
    gw.step();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  gw.free();
  return Math.round(PHYSICS_STEPS / seconds);
}

/** A settled scene of `n` objects with the gripper added: cubes scattered, or a pile of primitives and convex shapes. */
function settledScene(task: Task, layout: Layout, n: number): GraspWorld {
  const rng = sceneRng({ task: 'perf', objects: { min: n, max: n }, occlusion: 0, index: 0 }).stream(STREAMS.scene);
  const objects = Array.from({ length: n }, (_, i) => task.pool[i % task.pool.length]);
  const gw = new GraspWorld(task.spec, objects, planLayout(layout, objects, task.spec.bin.inner, rng));
  gw.settle(2400);
  gw.addGripper();
  gw.step();
  return gw;
}

/** Scene-camera frames per second (RGB + depth + ids in one pass, mirror sync included). */
function renderRate(n: number, size: number, frames: number) {
  const task = loadTask(n <= 8 ? 'cubes' : 'pile');
  const gw = settledScene(task, n <= 8 ? 'scattered' : 'pile', n);
  const mirror = new SceneMirror(gw, task.spec);
  const renderer = new SoftwareRenderer(size, size);
  for (let i = 0; i < 50; i++) renderer.render(mirror.scene, mirror.sceneCamera); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) {
    mirror.sync();
    renderer.render(mirror.scene, mirror.sceneCamera);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const triangles = renderer.info.triangles;
  mirror.dispose();
  gw.free();
  return { framesPerSecond: Math.round(frames / seconds), trianglesDrawn: triangles };
}

/**
 * Memory across 10k steps of both cameras at 128 x 128 (mirror sync + two renders), after 1k
 * warm-up steps: resident memory should stay flat and the garbage collector idle if rendering
 * allocates nothing per frame.
 */
async function renderMemory() {
  const task = loadTask('cubes');
  const gw = settledScene(task, 'scattered', 6);
  const mirror = new SceneMirror(gw, task.spec);
  const renderer = new SoftwareRenderer(128, 128);
  const step = () => {
    mirror.sync();
    renderer.render(mirror.scene, mirror.sceneCamera);
    renderer.render(mirror.scene, mirror.wristCamera);
  };
  for (let i = 0; i < 1000; i++) step();
  let collections = 0;
  const observer = new PerformanceObserver((list) => void (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(2);
  const samples: { step: number; rssMiB: number; heapMiB: number }[] = [];
  for (let i = 1; i <= 10_000; i++) {
    step();
    if (i === 1 || i % 2500 === 0) {
      const m = process.memoryUsage();
      samples.push({ step: i, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed) });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer report
  observer.disconnect();
  mirror.dispose();
  gw.free();
  const [first, last] = [samples[0], samples[samples.length - 1]];
  return { samples, rssGrowthMiB: +(last.rssMiB - first.rssMiB).toFixed(2), garbageCollections: collections };
}

/**
 * Perception per control step at 128 x 128, one core, on the scene frames of real episodes
 * (rendering excluded: it is measured above): the learned tracker (its foreground included), the
 * learned foreground alone (what a non-prompted policy runs), the frozen encoder alone, the oracle
 * tracker, and tracker + encoder + conditioning as SAM2Grasp runs them with each perception.
 */
async function perceptionCost() {
  const task = loadTask('cubes');
  const env = await GraspEnv.create(task);
  const encoder = await FeatureEncoder.load('assets/models/encoder.json');
  const learned = await loadPerception({ kind: 'learned' }, task.spec, trackerManifest);
  const oracle = await loadPerception({ kind: 'oracle' }, task.spec, trackerManifest);
  const episodes: { frames: Frame[]; hands: OrientedBox[][]; target: number }[] = [];
  const handOf = ({ proprio }: Observation) => handBoxesAt(proprio.palm, proprio.opening, task.spec.gripper.maxOpening);
  for (let index = 0; index < 10; index++) {
    const key = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index };
    const { observation, info } = env.reset(key);
    const frames = [cloneFrame(env.trueFrames().scene)];
    const hands = [handOf(observation)];
    const target = env.privileged().objects[info.target].position;
    for (let t = 1; t < 30; t++) {
      const { observation } = env.step({ x: target.x, y: target.y, z: 0.3 - t * 0.008, yaw: 0, gripper: 0 });
      frames.push(cloneFrame(env.trueFrames().scene));
      hands.push(handOf(observation));
    }
    episodes.push({ frames, hands, target: objectSegmentId(info.target) });
  }
  env.close();
  const camera = cameraModelOf(makeSceneCamera(task.spec.cameras.scene), 128, 128);
  const time = async (run: (frames: (typeof episodes)[number]) => Promise<void>) => {
    for (const e of episodes.slice(0, 2)) await run(e); // warm-up
    const start = process.hrtime.bigint();
    for (const e of episodes) await run(e);
    const steps = episodes.reduce((n, e) => n + e.frames.length, 0);
    return +(Number(process.hrtime.bigint() - start) / 1e6 / steps).toFixed(3);
  };
  const box = (e: (typeof episodes)[number]) => new IdsDetector({ jitter: 1, scaleError: 0.05, missRate: 0 }, new Rng('perf')).detect(e.frames[0], e.target)!;
  const tracked = (perception: Perception, conditioned: boolean) => async (e: (typeof episodes)[number]) => {
    let t = 0;
    const tracker = await perception.tracker(new Rng('perf-tracker'), () => e.frames[t]);
    let result = await tracker.init(sensorView(e.frames[0]), box(e));
    for (t = 0; t < e.frames.length; t++) {
      const frame = sensorView(e.frames[t]);
      if (t > 0) result = await tracker.track(frame);
      if (!conditioned) continue;
      const foreground = result.foreground ?? (await perception.foreground(frame, () => e.frames[t]));
      await conditionedFeatures('tracker', encoder, frame, result, foreground, camera, e.hands[t]);
    }
  };
  return {
    learnedTrackerMsPerStep: await time(tracked(learned, false)),
    learnedForegroundMsPerStep: await time(async (e) => {
      for (const f of e.frames) await learned.foreground(sensorView(f));
    }),
    encoderMsPerStep: await time(async (e) => {
      for (const f of e.frames) await encoder.encode(f);
    }),
    oracleTrackerMsPerStep: await time(tracked(oracle, false)),
    learnedTrackerConditionedMsPerStep: await time(tracked(learned, true)),
    oracleTrackerConditionedMsPerStep: await time(tracked(oracle, true)),
  };
}

/** Expert episodes per second on one core, and the physics steps each took on average. */
async function expertRate(taskName: string, min: number, max: number, episodes: number) {
  const env = await GraspEnv.create(loadTask(taskName));
  const expert = new ScriptedExpert();
  let steps = 0;
  let successes = 0;
  const start = process.hrtime.bigint();
  for (let index = 0; index < episodes; index++) {
    const r = await runEpisode(env, expert, { task: taskName, objects: { min, max }, occlusion: 0, index });
    steps += r.steps;
    if (r.outcome.successTarget) successes++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  env.close();
  return { task: taskName, objects: min === max ? `${min}` : `${min}-${max}`, episodes, episodesPerSecond: +(episodes / seconds).toFixed(2), msPerEpisode: +((1000 * seconds) / episodes).toFixed(1), controlStepsPerEpisode: +(steps / episodes).toFixed(1), successRate: successes / episodes };
}

/**
 * Where an episode's wall time goes: the whole episode (reset with its settling, rendering,
 * perception, the policy, metrics) against the physics steps inside it alone, timed by wrapping
 * GraspWorld.step. The ratio is the harness's overhead over bare simulation. The ONNX calls
 * (tracker, encoder, head) are timed the same way: `overheadFloor` is the ratio the episodes would
 * have if everything but the physics and those calls took no time at all.
 */
async function episodeOverhead(policyName: string, episodes: number) {
  const task = loadTask('cubes');
  const env = await GraspEnv.create(task);
  const policy = await policyFor(policyName, task);
  const step = GraspWorld.prototype.step;
  let physicsNs = 0n;
  let policyNs = 0n;
  let controlSteps = 0;
  GraspWorld.prototype.step = function timedStep(this: GraspWorld) {
    const t0 = process.hrtime.bigint();
    step.call(this);
    physicsNs += process.hrtime.bigint() - t0;
  };
  // The typings declare a factory; at run time it is the class every session is made from.
  const sessions = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
  const run = sessions.run;
  let modelNs = 0n;
  sessions.run = async function timedRun(this: ort.InferenceSession, ...args: Parameters<typeof run>) {
    const t0 = process.hrtime.bigint();
    try {
      return await run.apply(this, args);
    } finally {
      modelNs += process.hrtime.bigint() - t0;
    }
  } as typeof run;
  const act = policy.act.bind(policy);
  policy.act = async (observation) => {
    const t0 = process.hrtime.bigint();
    const chunk = await act(observation);
    policyNs += process.hrtime.bigint() - t0;
    controlSteps++;
    return chunk;
  };
  const key = (index: number) => ({ task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index });
  await runEpisode(env, policy, key(1_000)); // warm-up
  [physicsNs, policyNs, modelNs, controlSteps] = [0n, 0n, 0n, 0];
  const start = process.hrtime.bigint();
  for (let index = 0; index < episodes; index++) await runEpisode(env, policy, key(index));
  const wallNs = process.hrtime.bigint() - start;
  GraspWorld.prototype.step = step;
  sessions.run = run;
  env.close();
  const ms = (ns: bigint) => Number(ns) / 1e6;
  return {
    policy: policyName,
    episodes,
    msPerEpisode: +(ms(wallNs) / episodes).toFixed(1),
    physicsMsPerEpisode: +(ms(physicsNs) / episodes).toFixed(1),
    policyMsPerStep: +(ms(policyNs) / controlSteps).toFixed(3),
    modelMsPerStep: +(ms(modelNs) / controlSteps).toFixed(3),
    overheadRatio: +(Number(wallNs) / Number(physicsNs)).toFixed(2),
    overheadFloor: +(Number(physicsNs + modelNs) / Number(physicsNs)).toFixed(2),
  };
}

/**
 * Each shipped head alone (the ONNX model, and for a diffusion policy its DDIM loop) on random
 * inputs: ms per query, and per control step given how often its manifest queries it.
 */
async function headCost(name: string, queries: number) {
  const manifestPath = join(modelsDir(), `${name}.json`);
  const manifest = loadPolicyManifest(manifestPath);
  const head = await loadChunkHead(manifest, join(modelsDir(), manifest.file), manifestPath);
  const rng = new Rng('perf/heads');
  head.reset(rng.stream(name));
  const feeds = Object.fromEntries(Object.values(manifest.inputs).map(({ name: tensor, shape }) => [tensor, new ort.Tensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape)]));
  await head.run(feeds); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < queries; i++) await head.run(feeds);
  const msPerQuery = Number(process.hrtime.bigint() - start) / 1e6 / queries;
  const sampler = manifest.diffusion ? `DDIM, ${manifest.diffusion.inferenceSteps} denoiser calls per query` : 'one call per query';
  return { policy: name, sampler, msPerQuery: +msPerQuery.toFixed(3), queryEvery: manifest.execution.queryEvery, msPerControlStep: +(msPerQuery / manifest.execution.queryEvery).toFixed(3) };
}

/** Sweep throughput through the worker pool: the ci-smoke sweep, cut to a few keys per cell. */
async function sweepRate(workers: number, episodes: number) {
  const sweep = await resolveSweep('scenes/sweeps/ci-smoke.json', { episodes });
  const outDir = mkdtempSync(join(tmpdir(), 'sam2grasp-perf-'));
  const start = process.hrtime.bigint();
  await runSweep({ sweep, outDir, shard: WHOLE, workers, command: 'perf' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(outDir, { recursive: true });
  const units = new SweepPlan(sweep.spec, sweep.taskIds).units.length;
  return { workers, episodes: units, seconds: +seconds.toFixed(1), episodesPerSecond: +(units / seconds).toFixed(2) };
}

/** The paper tables' policies, each timed alone through the worker pool for the bench estimate. */
const BENCH_POLICIES = ['expert', 'act', 'act-cvae', 'act-condition', 'sam2grasp'];
/** The cells `bench` runs, on cubes 3-6: Table I (occlusion 0) and Table III's 0.2, 0.4, 0.6 (its 0 is Table I's episodes, reused). */
const BENCH_CELLS = 4;

/** Episodes per second of one policy on cubes 3-6 at occlusion 0.4 (the middle of Table III), recording on, through runSweep. */
async function policyRate(policy: string, workers: number, episodes: number, batch = DEFAULT_BATCH) {
  const dir = mkdtempSync(join(tmpdir(), 'sam2grasp-perf-'));
  const specPath = join(dir, 'spec.json');
  writeFileAtomic(specPath, JSON.stringify({ id: `perf-${policy}`, policies: [policy], tasks: ['cubes'], objects: ['3-6'], occlusion: [0.4], episodes }));
  const sweep = await resolveSweep(specPath);
  const start = process.hrtime.bigint();
  await runSweep({ sweep, outDir: join(dir, 'out'), shard: WHOLE, workers, batch, command: 'perf', label: `perf ${policy} x${workers} B=${batch}` });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(dir, { recursive: true });
  return +(episodes / seconds).toFixed(2);
}

/** The batch tried beside the default: episodes each worker steps together, their model calls batched. */
const TRIED_BATCH = 8;

/**
 * Episodes per second per policy on 1 and 2 workers at the default batch, and on 2 workers with
 * TRIED_BATCH episodes stepped together (start-up and model loading included, as a sweep pays
 * them), and from the default's 2-worker rates the wall time of `bench` and `bench --full`.
 */
async function throughput() {
  const policies: { policy: string; episodes: number; oneWorker: number; twoWorkers: number; speedup: number; twoWorkersBatched: number | null }[] = [];
  for (const policy of BENCH_POLICIES) {
    const episodes = policy === 'expert' ? 200 : 100;
    const one = await policyRate(policy, 1, episodes);
    const two = await policyRate(policy, 2, episodes);
    const batched = policy === 'expert' ? null : await policyRate(policy, 2, episodes, TRIED_BATCH);
    policies.push({ policy, episodes, oneWorker: one, twoWorkers: two, speedup: +(two / one).toFixed(2), twoWorkersBatched: batched });
  }
  const minutes = (perCell: number) => +(policies.reduce((sum, p) => sum + (BENCH_CELLS * perCell) / p.twoWorkers, 0) / 60).toFixed(1);
  return {
    note: `episodes/s, cubes 3-6 at occlusion 0.4, learned tracker, recording on; one policy per run (its worker start and model loading included); oneWorker and twoWorkers at the default batch (${DEFAULT_BATCH}), twoWorkersBatched with ${TRIED_BATCH} episodes stepped together per worker (the expert calls no model)`,
    policies,
    benchMinutesEstimate: minutes(200),
    benchFullMinutesEstimate: minutes(400),
  };
}

/** The sections of the report, each measured only when asked for (`npm run perf -- --only perception,overhead`). */
const SECTIONS: Record<string, () => Promise<unknown>> = {
  physicsStepsPerSecond: async () => Object.fromEntries([1, 6, 12].map((n) => [`${n}_objects`, { atRest: physicsRate(n, false), awake: physicsRate(n, true) }])),
  expert: async () => [await expertRate('cubes', 3, 6, 100), await expertRate('pile', 8, 8, 40)],
  renderFramesPerSecond: async () => Object.fromEntries([6, 20].flatMap((n) => [128, 256].map((size) => [`${n}_objects_${size}px`, renderRate(n, size, size === 128 ? 4000 : 2000)]))),
  renderMemoryOver10kSteps: renderMemory,
  perception128px: perceptionCost,
  heads: async () => {
    const out = [];
    for (const name of LEARNED_POLICIES) out.push(await headCost(name, 200));
    return { note: 'one core; the head alone on random inputs (no rendering, no perception)', heads: out };
  },
  episodeOverhead: async () => ({
    note: 'one core, cubes 3-6; wall time of whole episodes / time in their physics steps alone (goal <= 1.5); policyMsPerStep includes rendering the frames it reads and its perception (learned, the default); modelMsPerStep is the ONNX calls alone, and overheadFloor the ratio if nothing but physics and those calls took time',
    policies: [await episodeOverhead('expert', 50), await episodeOverhead('act', 20), await episodeOverhead('sam2grasp', 20), await episodeOverhead('dp', 20)],
  }),
  throughput,
  sweep: async () => {
    const [one, two] = [await sweepRate(1, 8), await sweepRate(2, 8)];
    return { note: 'ci-smoke (5 policies x 2 occlusion levels) at 8 keys per cell, through runSweep', one, two, speedup: +(two.episodesPerSecond / one.episodesPerSecond).toFixed(2) };
  },
};
const onlyAt = process.argv.indexOf('--only');
// A candidate tracker's cost before it ships: `--tracker DIR/tracker.json` stands in for the learned one in perception128px.
const trackerAt = process.argv.indexOf('--tracker');
const trackerManifest = trackerAt >= 0 ? (process.argv[trackerAt + 1] ?? '') : learnedTrackerManifest();
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : Object.keys(SECTIONS);
const unknown = only.find((name) => !(name in SECTIONS));
if (unknown) {
  console.error(`perf: --only: unknown section "${unknown}" (sections: ${Object.keys(SECTIONS).join(', ')})`);
  process.exit(2);
}

tuneGarbageCollector();
await initPhysics();
physicsRate(6, false); // warm up the JIT and the WebAssembly tiers
const report: Record<string, unknown> = {
  measuredAt: new Date().toISOString(),
  note: 'one core; physics steps at 240 Hz with the palm moving; "awake" wakes every object at every step (no sleeping)',
};
for (const name of only) report[name] = await SECTIONS[name]();
Object.assign(report, { machine: { cpu: cpus()[0]?.model, cores: cpus().length }, ...environmentFacts() });
mkdirSync('results', { recursive: true });
writeFileAtomic(onlyAt >= 0 ? 'results/perf-partial.json' : 'results/perf.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
