import { join } from 'node:path';
import { formatGate, gate } from '../bench/index.js';
import { InputError } from '../core/index.js';
import { parseFlags, required } from './flags.js';

export const summary = 'CI gate: fail when a policy is significantly worse than the reference, or determinism broke';

export const usage = `usage: sam2grasp gate --results DIR --reference FILE [--alpha A] [--ignore-hashes]

Pairs every episode of the reference with the results' episode of the same key and policy. A cell
(policy x task x objects x occlusion) fails when the results lose significantly more keys than they
gain, when a state hash differs for the same key (the simulation is no longer deterministic, or the
code changed what happens), or when the results lack reference keys. Prints what moved; exit code 1
on failure.

"Significantly" is over all cells at once: each cell's one-sided exact binomial test on the
discordant keys gives a raw p, the raw p of all cells that paired any key are adjusted by Holm's
step-down method, and a cell fails when its adjusted p < alpha. The chance that a harmless change
fails any cell is then at most alpha, however many cells the reference holds. Both p are printed.

  --results        a sweep output folder (its episodes.csv) or an episodes.csv file (required)
  --reference      a committed episodes.csv, like results/reference/ci-smoke.csv (required)
  --alpha          family-wise significance level over the cells, between 0 and 0.5 (default: 0.01)
  --ignore-hashes  judge success only (after a deliberate change of a policy or the physics)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { results: { type: 'string' }, reference: { type: 'string' }, alpha: { type: 'string' }, 'ignore-hashes': { type: 'boolean' } });
  if (values.help) return (console.log(usage), 0);
  const results = required(values.results, '--results');
  const referenceCsv = required(values.reference, '--reference');
  const alpha = values.alpha === undefined ? 0.01 : Number(values.alpha);
  if (!(alpha > 0 && alpha <= 0.5)) throw new InputError('--alpha', `expected a level between 0 and 0.5, got "${values.alpha}"`);
  const resultsCsv = results.endsWith('.csv') ? results : join(results, 'episodes.csv');
  const rows = await gate({ resultsCsv, referenceCsv, alpha, checkHashes: !values['ignore-hashes'] });
  console.log(formatGate(rows, alpha));
  const failed = rows.filter((r) => r.verdict !== 'ok');
  const paired = rows.reduce((n, r) => n + r.paired, 0);
  console.log(failed.length ? `\ngate: FAIL: ${failed.length} of ${rows.length} cells (${failed.map((r) => `${r.policy} ${r.verdict}`).join(', ')})` : `\ngate: pass: ${rows.length} cells, ${paired} paired episodes (alpha ${alpha} over all cells, Holm)`);
  return failed.length ? 1 : 0;
}
