import { mergeShards, writeHtmlReport } from '../bench/index.js';
import { parseFlags, required } from './flags.js';

export const summary = 'combine the folders of a sharded sweep into one (the same bytes as an unsharded run)';

export const usage = `usage: sam2grasp merge --out DIR SHARD_DIR...

Checks that the folders are the complete shards 1/N..N/N of one sweep with one configuration,
then writes DIR as the unsharded run would have: episodes.csv in canonical order, sweep.json and
every derived file, motion.bin and the report (report/index.html).

  --out  output folder (required; must not hold results yet)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' } }, true);
  if (values.help) return (console.log(usage), 0);
  const outDir = required(values.out, '--out');
  const report = await mergeShards(positionals, outDir, ['sam2grasp', 'merge', ...argv].join(' '));
  const page = await writeHtmlReport(outDir);
  console.log(report.text);
  console.log(`\nmerged ${positionals.length} shards into ${outDir}; open ${page.dir}/index.html`);
  return 0;
}
