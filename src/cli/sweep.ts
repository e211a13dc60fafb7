import { defaultWorkers, parseShard, resolveSweep, runSweep, WHOLE, writeHtmlReport } from '../bench/index.js';
import { InputError } from '../core/index.js';
import { formatTrackerChoice } from '../perception/index.js';
import { BATCH_FLAG, BATCH_USAGE, batchFlag, intFlag, parseFlags, required, TRACKER_USAGE, trackerFlag } from './flags.js';

export const summary = 'run a sweep spec (policies x tasks x objects x occlusion) in parallel, sharded or resumed';

export const usage = `usage: sam2grasp sweep SPEC.json --out DIR [--workers N] [--batch B] [--shard i/N] [--episodes N] [--tracker T] [--no-record]

Runs every policy of the spec on the same episode keys and writes, in DIR: episodes.csv (one row
per episode, in a fixed order, appended as episodes finish), sweep.json (what the folder holds),
summary.csv, paired.csv, paired-any.csv, table.md, table.tex, plot.svg, run.json, motion.bin
(every episode's motion) and report/ (the page of sam2grasp report). Running the same command again
resumes an interrupted run; the result is the same bytes as an uninterrupted one.

  --out      output folder (required)
  --workers  worker threads, 1 to 64 (default: the machine's ${defaultWorkers()} cores); the results do not
             depend on it
${BATCH_USAGE}
  --shard    i/N: run the i-th of N deterministic parts of the keys (combine with sam2grasp merge)
  --episodes episodes per cell instead of the spec's (keys 0..N-1: a smaller run is a prefix of the
             spec's keys, but a sweep of its own)
${TRACKER_USAGE}; instead of the spec's
                    tracker; given, a tracking probe also runs it beside every policy and rows
                    record prompt_iou, track_iou, track_iou_blind and track_switches
  --no-record  do not record the episodes' motion (motion.bin; about 1.6 KB per episode)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, workers: { type: 'string' }, ...BATCH_FLAG, shard: { type: 'string' }, episodes: { type: 'string' }, tracker: { type: 'string' }, 'no-record': { type: 'boolean' } }, true);
  if (values.help) return (console.log(usage), 0);
  if (positionals.length > 1) throw new InputError('SPEC', `one sweep spec at a time, got ${positionals.length}`);
  const spec = required(positionals[0], 'SPEC');
  const outDir = required(values.out, '--out');
  const workers = intFlag(values.workers, '--workers', defaultWorkers(), 1, 64);
  const shard = values.shard === undefined ? WHOLE : parseShard(values.shard);
  const episodes = values.episodes === undefined ? undefined : intFlag(values.episodes, '--episodes', 0, 1, 100_000);
  const choice = trackerFlag(values.tracker);
  const sweep = await resolveSweep(spec, { episodes, tracker: choice && formatTrackerChoice(choice) });
  const report = await runSweep({ sweep, outDir, shard, workers, batch: batchFlag(values.batch), record: !values['no-record'], command: ['sam2grasp', 'sweep', ...argv].join(' ') });
  const page = await writeHtmlReport(outDir);
  console.log(report.text);
  console.log(`\nwrote ${outDir}/episodes.csv, summary.csv, paired.csv, paired-any.csv, table.md, table.tex, plot.svg, run.json${values['no-record'] ? '' : ', motion.bin'}; open ${page.dir}/index.html`);
  return 0;
}
