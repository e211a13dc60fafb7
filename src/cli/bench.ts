import { join } from 'node:path';
import { defaultWorkers, resolveSweep, runSweep, WHOLE, writeHtmlReport, type DonorSweep } from '../bench/index.js';
import { projectPackage } from '../core/index.js';
import { BATCH_FLAG, BATCH_USAGE, batchFlag, intFlag, parseFlags } from './flags.js';

export const summary = "the main job: the paper's Tables I and III (methods; occlusion sweep) with intervals and paired tests";

/** Episodes per cell of the default run: both paper tables in about 5 minutes on two cores. */
const QUICK_EPISODES = 200;
const FULL_EPISODES = 400;

/** The paper's tables, and the sweeps that test its two claims where they are hard. */
const SWEEPS = {
  paper: ['paper-table1', 'paper-table3'],
  claims: ['claims-identity', 'claims-memory', 'claims-clutter'],
} as const;

export const usage = `usage: sam2grasp bench [--claims] [--full | --episodes N] [--workers N] [--batch B] [--out DIR] [--no-record]

Runs scenes/sweeps/paper-table1.json (expert, act, act-cvae, act-condition, sam2grasp on 3-6
cubes) and scenes/sweeps/paper-table3.json (the same under occlusion p = 0, 0.2, 0.4, 0.6) and
prints both tables. Each goes to DIR/<sweep>-<episodes>/ with everything sam2grasp sweep writes;
an interrupted bench resumes when run again. Table III's p = 0 column is Table I's episodes (the
same keys, policies and models give the same bytes): they are copied, not run again.

  --claims    run the claims sweeps instead: claims-identity (look-alike cubes), claims-memory
              (a pushed target under blackout windows) and claims-clutter (pile, packed, unseen
              objects)

  --episodes  episodes per cell (default: ${QUICK_EPISODES}; both paper tables in about 5 minutes on two cores)
  --full      the paper's ${FULL_EPISODES} episodes per cell
  --workers   worker threads (default: the machine's ${defaultWorkers()} cores)
${BATCH_USAGE}
  --out       output folder (default: results/bench)
  --no-record do not record the episodes' motion (motion.bin, for the report's replays)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { episodes: { type: 'string' }, full: { type: 'boolean' }, claims: { type: 'boolean' }, workers: { type: 'string' }, ...BATCH_FLAG, out: { type: 'string' }, 'no-record': { type: 'boolean' } });
  if (values.help) return (console.log(usage), 0);
  const episodes = values.full ? FULL_EPISODES : intFlag(values.episodes, '--episodes', QUICK_EPISODES, 1, 100_000);
  const workers = intFlag(values.workers, '--workers', defaultWorkers(), 1, 64);
  const batch = batchFlag(values.batch);
  const outDir = values.out ?? 'results/bench';
  const started = Date.now();
  const sweeps = SWEEPS[values.claims ? 'claims' : 'paper'].map((id) => join(projectPackage().root, 'scenes', 'sweeps', `${id}.json`));
  const resolved = await Promise.all(sweeps.map((path) => resolveSweep(path, { episodes })));
  // Each sweep takes the episodes it shares with those before it (Table III's p = 0 is Table I).
  const before: DonorSweep[] = [];
  for (const sweep of resolved) {
    const dir = join(outDir, `${sweep.spec.id}-${episodes}`);
    const report = await runSweep({ sweep, outDir: dir, shard: WHOLE, workers, batch, record: !values['no-record'], reuse: [...before], command: ['sam2grasp', 'bench', ...argv].join(' ') });
    before.push({ outDir: dir, sweep });
    const page = await writeHtmlReport(dir);
    console.log(`${report.text}\n\npaired tests, tables as Markdown and LaTeX, plot: ${dir}/; the report with replays: ${page.dir}/index.html\n`);
  }
  console.log(`${episodes} episodes per cell in ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${outDir}/`);
  return 0;
}
