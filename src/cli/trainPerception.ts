import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { modelsDir } from '../bench/index.js';
import { InputError, Progress, projectPackage } from '../core/index.js';
import { loadTask } from '../env/index.js';
import { collectTrackerFrames } from '../learn/index.js';
import { intFlag, parseFlags } from './flags.js';

export const summary = 'train the learned tracker on the harness\'s own renders (PyTorch), export it to ONNX (npm run train:perception)';

export const usage = `usage: sam2grasp train-perception [--episodes N] [--steps N] [--finetune-steps N] [--finetune-rounds N] [--seed N] [--work DIR] [--out DIR]

A maintainer's command: the harness never needs Python to install, run or test. Collects expert
episodes of cubes, pile and packed scenes (half of them with an object pushed) as scene-camera
frames with their segment ids (the training labels), then runs scripts/perception/train_tracker.py
with Debian's python3 (apt-get install python3-torch python3-onnx libopenblas0-pthread), which trains the four modules
on short clips with blacked-out frames, each frame prompted with the last frame's true mask moved
by up to 2 pixels, fine-tunes them on whole grasps on their own masks with batch norm frozen, and
exports them to ONNX with tracker.json and training-tracker.json. Scenes use episode indices from
2,000,000 on: never an evaluation key.

  --episodes  episodes to collect (default: 800)      --steps  training steps (default: 1000)
  --finetune-steps  steps of the frozen-norm fine-tune on whole grasps (default: 300; 0: none)
  --finetune-rounds  times the fine-tune runs, each from fresh Adam on the same data (default: 4)
  --seed      training seed (default: 1)
  --work      frames folder (default: results/tracker-data)
  --out       where the tracker goes (default: assets/models/tracker)
  Set SAM2GRASP_PYTHON to use another interpreter.`;

/** Debian's interpreter first: a version manager's python3 earlier on PATH may lack Debian's packages. */
function pythonInterpreter(): string {
  return process.env.SAM2GRASP_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** Fails with one line naming the install command when PyTorch or onnx cannot be imported. */
function checkPython(python: string): void {
  const probe = spawnSync(python, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(probe.stderr ?? '')?.[1] ?? (probe.error ? python : 'torch or onnx');
    throw new InputError('train-perception', `${missing} is missing: apt-get install python3-torch python3-onnx libopenblas0-pthread`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { episodes: { type: 'string' }, steps: { type: 'string' }, 'finetune-steps': { type: 'string' }, 'finetune-rounds': { type: 'string' }, seed: { type: 'string' }, work: { type: 'string' }, out: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const episodes = intFlag(values.episodes, '--episodes', 800, 1, 100_000);
  const steps = intFlag(values.steps, '--steps', 1000, 1, 1_000_000);
  const finetuneSteps = intFlag(values['finetune-steps'], '--finetune-steps', 300, 0, 1_000_000);
  const finetuneRounds = intFlag(values['finetune-rounds'], '--finetune-rounds', 4, 1, 100);
  const seed = intFlag(values.seed, '--seed', 1, 0, 2 ** 31 - 1);
  const work = values.work ?? 'results/tracker-data';
  const out = values.out ?? join(modelsDir(), 'tracker');
  const python = pythonInterpreter();
  checkPython(python);
  const started = Date.now();

  if (!framesCollected(work, episodes)) {
    const progress = new Progress('collect frames', episodes);
    await collectTrackerFrames({
      tasks: [{ task: loadTask('cubes'), share: 0.5 }, { task: loadTask('pile'), share: 0.25 }, { task: loadTask('packed'), share: 0.25 }],
      episodes,
      outDir: work,
      onEpisode: () => progress.step('-'),
    });
    progress.stop();
  }
  const collectSeconds = (Date.now() - started) / 1000;
  const script = join(projectPackage().root, 'scripts', 'perception', 'train_tracker.py');
  const args = [script, '--data', work, '--out', out, '--steps', String(steps), '--finetune-steps', String(finetuneSteps), '--finetune-rounds', String(finetuneRounds), '--seed', String(seed),
    '--collect-seconds', collectSeconds.toFixed(1)];
  const code = await trainInPython(python, args, steps + finetuneRounds * finetuneSteps);
  if (code !== 0) return code;
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (collection ${collectSeconds.toFixed(0)} s); tracker in ${out}`);
  return 0;
}

/** The frames folder already holds this many collected episodes. */
function framesCollected(work: string, episodes: number): boolean {
  const path = join(work, 'frames.json');
  return existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { episodes: unknown[] }).episodes.length === episodes;
}

/** Runs the training script; its `[stage] step k/n ...` lines drive a progress bar, the rest pass through. */
function trainInPython(python: string, args: string[], steps: number): Promise<number> {
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: projectPackage().root });
  const progress = new Progress('train tracker', steps, 'steps');
  const count = stepCounter();
  let shown = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const step = count(line);
    if (!step) return void console.log(line);
    if (step.done > shown) progress.advance(step.done - shown, step.status);
    shown = Math.max(shown, step.done);
  });
  return new Promise((resolve) => child.on('close', (code) => (progress.stop(), resolve(code ?? 1))));
}

/**
 * Steps done over all stages, from the script's lines (`step k/n ...`, or `main step k/n ...` and
 * `finetune step k/n ...`, `finetune2 step k/n ...` when it trains in stages, each counting from 1); null for other lines.
 */
export function stepCounter(): (line: string) => { done: number; status: string } | null {
  let before = 0;
  let stage = '';
  let stageSteps = 0;
  return (line) => {
    const match = /^(?:(\w+) )?step (\d+)\/(\d+) (.*)$/.exec(line);
    if (!match) return null;
    const name = match[1] ?? '';
    if (name !== stage) [before, stage] = [before + stageSteps, name];
    stageSteps = Number(match[3]);
    return { done: before + Number(match[2]), status: match[4] };
  };
}
