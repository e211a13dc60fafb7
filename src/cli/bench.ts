import { formatSummaryTable, loadTask, runEval } from '../bench/index.js';
import { taskObjectCount } from '../config/index.js';
import { intFlag, parseFlags } from './flags.js';

export const summary = 'the main job: run the benchmark on the embedded defaults and print its table';

export const usage = `usage: sam2grasp bench [--episodes N] [--out DIR]

Runs the scripted expert on the paper's simulated task (cubes, 3-6 cubes) and prints its success
table with 95 % intervals. (Learned policies and the paper's Tables I and III join as they land.)

  --episodes  episodes (default: 400, the paper's count)
  --out       output folder (default: results/bench)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { episodes: { type: 'string' }, out: { type: 'string' } });
  if (values.help) return (console.log(usage), 0);
  const episodes = intFlag(values.episodes, '--episodes', 400, 1, 100_000);
  const outDir = values.out ?? 'results/bench';
  const task = loadTask('cubes');
  const started = Date.now();
  const rows = await runEval({
    task,
    policy: 'expert',
    episodes,
    objects: taskObjectCount(task.spec),
    occlusion: 0,
    occlusionMode: { kind: 'frames' },
    outDir: `${outDir}/expert-cubes`,
    command: ['sam2grasp', 'bench', ...argv].join(' '),
    label: 'bench: expert on cubes',
  });
  console.log(formatSummaryTable(rows));
  console.log(`\n${episodes} episodes in ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${outDir}/`);
  return 0;
}
