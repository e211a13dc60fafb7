import { writeHtmlReport } from '../bench/index.js';
import { InputError } from '../core/index.js';
import { parseFlags } from './flags.js';

export const summary = "write DIR/report/: a sweep's tables, plot, episodes and 3-D replays as a page that opens from disk";

export const usage = `usage: sam2grasp report DIR

Reads the sweep in DIR (sweep.json, episodes.csv and, when recorded, motion.bin) and writes
DIR/report/index.html with its script and data files: the tables and their captions, the plot,
an episode browser, and a 3-D replay of any recorded episode beside the same key under another
policy. Open index.html in a browser; it needs no network and no server. An unfinished sweep's
report shows the episodes that exist, under a banner. Docs: docs/report.md.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {}, true);
  if (values.help) return (console.log(usage), 0);
  if (positionals.length !== 1) throw new InputError('DIR', `name one sweep results folder (got ${positionals.length})`);
  const started = performance.now();
  const facts = await writeHtmlReport(positionals[0]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const unfinished = facts.episodes < facts.planned ? ` (unfinished: ${facts.episodes} of ${facts.planned} episodes)` : '';
  console.log(`wrote ${facts.dir}/index.html: ${facts.episodes} episodes${unfinished}, ${facts.recorded} recorded, ${(facts.bytes / 1e6).toFixed(1)} MB in ${seconds} s`);
  return 0;
}
