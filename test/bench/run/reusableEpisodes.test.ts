import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSweep, runSweep, WHOLE, type DonorSweep } from '../../../src/bench/index.js';
import { tempDir } from '../../cli/helpers.js';

const dir = tempDir('sam2grasp-reuse-');
const spec = (name: string, body: Record<string, unknown>) => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ id: name, tasks: ['cubes'], objects: ['3-6'], episodes: 2, ...body }));
  return resolveSweep(path);
};
const run = async (out: string, sweep: Awaited<ReturnType<typeof spec>>, reuse: DonorSweep[] = []) => {
  await runSweep({ sweep, outDir: join(dir, out), shard: WHOLE, workers: 1, command: 'test', reuse });
  return { outDir: join(dir, out), sweep, run: JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) };
};
const bytes = (out: string, file: string) => readFileSync(join(dir, out, file));

describe('a sweep takes the episodes an earlier sweep of this process ran to the same bytes', () => {
  it("runs Table III's p = 0 column once: taken from Table I, the files the same bytes as run afresh", async () => {
    const table1 = await run('t1', await spec('t1', { policies: ['expert', 'sam2grasp'], occlusion: [0] }));
    const table3 = await spec('t3', { policies: ['expert', 'sam2grasp'], occlusion: [0, 0.4] });
    const reused = await run('t3-reused', table3, [table1]);
    const afresh = await run('t3-afresh', table3);
    expect(reused.run).toMatchObject({ episodesRun: 4, episodesReused: 4 });
    expect(afresh.run).toMatchObject({ episodesRun: 8, episodesReused: 0 });
    for (const f of ['episodes.csv', 'motion.bin', 'summary.csv', 'paired.csv']) expect(bytes('t3-reused', f).equals(bytes('t3-afresh', f)), f).toBe(true);
  });

  it('takes nothing from a sweep whose policy perceives with another tracker, or runs another occlusion mode', async () => {
    const oracle = await run('oracle', await spec('oracle', { policies: ['sam2grasp'], occlusion: [0], tracker: 'oracle' }));
    const windows = await run('windows', await spec('windows', { policies: ['expert'], occlusion: [0], occlusionMode: 'windows:4' }));
    const mine = await run('mine', await spec('mine', { policies: ['expert', 'sam2grasp'], occlusion: [0] }), [oracle, windows]);
    expect(mine.run).toMatchObject({ episodesRun: 4, episodesReused: 0 });
  });
});
