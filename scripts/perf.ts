/**
 * `npm run perf`: how fast the harness runs on this machine. Speed is measured here, never in
 * tests. Writes results/perf.json and prints it.
 */
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { environmentFacts, loadTask, runEpisode, writeFileAtomic } from '../src/bench/index.js';
import { sceneRng, STREAMS } from '../src/core/index.js';
import { GraspEnv } from '../src/env/index.js';
import { ScriptedExpert } from '../src/policy/index.js';
import { GraspWorld, initPhysics, planLayout } from '../src/sim/index.js';

const PHYSICS_STEPS = 6000;

/** Physics steps per second with `n` cubes in the bin and the palm sweeping above them. */
function physicsRate(n: number, keepAwake: boolean): number {
  const task = loadTask('cubes');
  const rng = sceneRng({ task: 'perf', objects: { min: n, max: n }, occlusion: 0, index: 0 }).stream(STREAMS.scene);
  const objects = Array.from({ length: n }, (_, i) => task.pool[i % task.pool.length]);
  const gw = new GraspWorld(task.spec, objects, planLayout('scattered', objects, task.spec.bin.inner, rng));
  gw.settle(2400);
  const gripper = gw.addGripper();
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

/** Expert episodes per second on one core, and the physics steps each took on average. */
async function expertRate(taskName: string, min: number, max: number, episodes: number) {
  const env = await GraspEnv.create(loadTask(taskName));
  const expert = new ScriptedExpert();
  let steps = 0;
  let successes = 0;
  const start = process.hrtime.bigint();
  for (let index = 0; index < episodes; index++) {
    const r = runEpisode(env, expert, { task: taskName, objects: { min, max }, occlusion: 0, index });
    steps += r.steps;
    if (r.outcome.successTarget) successes++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  env.close();
  return { task: taskName, objects: min === max ? `${min}` : `${min}-${max}`, episodes, episodesPerSecond: +(episodes / seconds).toFixed(2), msPerEpisode: +((1000 * seconds) / episodes).toFixed(1), controlStepsPerEpisode: +(steps / episodes).toFixed(1), successRate: successes / episodes };
}

await initPhysics();
physicsRate(6, false); // warm up the JIT and the WebAssembly tiers
const report = {
  measuredAt: new Date().toISOString(),
  note: 'one core; physics steps at 240 Hz with the palm moving; "awake" wakes every object at every step (no sleeping)',
  physicsStepsPerSecond: Object.fromEntries(
    [1, 6, 12].map((n) => [`${n}_objects`, { atRest: physicsRate(n, false), awake: physicsRate(n, true) }]),
  ),
  expert: [await expertRate('cubes', 3, 6, 100), await expertRate('pile', 8, 8, 40)],
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  ...environmentFacts(),
};
mkdirSync('results', { recursive: true });
writeFileAtomic('results/perf.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
