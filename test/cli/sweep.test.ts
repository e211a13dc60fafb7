import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/bench/index.js';
import { unitId } from '../../src/bench/episode/Cell.js';
import type { EpisodeRow } from '../../src/bench/episode/EpisodeRow.js';
import { POSE_STRIDE } from '../../src/bench/record/EpisodeMotion.js';
import { decodeMotion, motionRecords } from '../../src/bench/record/motionCodec.js';
import { hashPoses } from '../../src/sim/index.js';
import { writeHead } from '../policy/hoverHead.js';
import { CLI, ROOT, sam2grasp, tempDir } from './helpers.js';

const dir = tempDir('sam2grasp-sweep-');
const spec = (name: string, body: Record<string, unknown>) => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
};
/** A small sweep with a prompted learned policy, two occlusion levels and the expert. */
const SMALL = spec('small', { id: 'small', policies: ['expert', 'sam2grasp', 'act'], reference: 'expert', tasks: ['cubes'], objects: ['3-6'], occlusion: [0, 0.4], episodes: 3 });
const bytes = (folder: string, file = 'episodes.csv') => readFileSync(join(dir, folder, file));
const sweep = (out: string, ...flags: string[]) => sam2grasp(['sweep', SMALL, '--out', join(dir, out), ...flags]);

describe('sam2grasp sweep: the same bytes however it is run', () => {
  it('writes every file, rows in canonical order, whatever the worker count', async () => {
    const one = sweep('one', '--workers', '1');
    expect(one.code, one.stderr).toBe(0);
    expect(sweep('two', '--workers', '2').code).toBe(0);
    for (const f of ['episodes.csv', 'motion.bin', 'sweep.json', 'summary.csv', 'paired.csv', 'table.md', 'table.tex', 'plot.svg']) {
      expect(bytes('two', f).equals(bytes('one', f)), f).toBe(true);
    }
    const { records } = await readCsv(join(dir, 'one', 'episodes.csv'));
    expect(records.map((r) => `${r.occlusion}/${r.index}/${r.policy}`).slice(0, 4)).toEqual(['0/0/expert', '0/0/sam2grasp', '0/0/act', '0/1/expert']);
    expect(records).toHaveLength(2 * 3 * 3);
    const table = bytes('one', 'table.md').toString();
    expect(table).toContain('| expert (reference) | 100.0 [43.9, 100.0] |');
    expect(table).toMatch(/\| expert vs sam2grasp \| [+−]\d+\.\d \(p = /);
    expect(bytes('one', 'table.tex').toString()).toContain('\\toprule');
    expect(bytes('one', 'plot.svg').toString()).toMatch(/^<svg[^>]*>.*success/s);
    const run = JSON.parse(bytes('two', 'run.json').toString());
    expect(run).toMatchObject({ sweep: 'small', workers: 2, episodesRun: 18 });
    expect(one.stdout).toContain('expert (reference)');
  });

  it("records every episode's motion: one record per row, whose last frame hashes to the row's state_hash", async () => {
    const { records } = await readCsv(join(dir, 'one', 'episodes.csv'));
    const motions = motionRecords(bytes('one', 'motion.bin'));
    expect(motions).toHaveLength(records.length);
    records.forEach((row, i) => {
      const motion = decodeMotion(motions[i])!;
      expect(motion.unit).toBe(unitId(row as EpisodeRow));
      expect(motion.steps).toBe(Number(row.steps));
      expect(motion.objects[motion.target]).toBe(row.target_name);
      const last = motion.poses.subarray(motion.steps * motion.bodies * POSE_STRIDE);
      expect(hashPoses(last), `row ${i + 1}`).toBe(row.state_hash);
      expect(motion.boxes !== null, row.policy).toBe(row.policy === 'sam2grasp');
      expect(motions[i].length).toBeLessThanOrEqual(5000);
    });
    const off = sweep('unrecorded', '--workers', '1', '--no-record');
    expect(off.code, off.stderr).toBe(0);
    expect(existsSync(join(dir, 'unrecorded', 'motion.bin'))).toBe(false);
    expect(bytes('unrecorded').equals(bytes('one'))).toBe(true);
  });

  it('merges two shards into the unsharded bytes', () => {
    expect(sweep('shard2', '--shard', '2/2', '--workers', '1').code).toBe(0);
    expect(sweep('shard1', '--shard', '1/2', '--workers', '1').code).toBe(0);
    expect(bytes('shard1').equals(bytes('one'))).toBe(false);
    const merged = sam2grasp(['merge', '--out', join(dir, 'merged'), join(dir, 'shard2'), join(dir, 'shard1')]);
    expect(merged.code, merged.stderr).toBe(0);
    for (const f of ['episodes.csv', 'motion.bin', 'sweep.json', 'summary.csv', 'paired.csv', 'table.md']) expect(bytes('merged', f).equals(bytes('one', f)), f).toBe(true);
  });

  it('resumes a run killed with SIGKILL, repairing a torn last line, to the uninterrupted bytes', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [CLI, 'sweep', SMALL, '--out', out, '--workers', '2'], { cwd: ROOT, stdio: 'ignore' });
    const lines = () => (existsSync(join(out, 'episodes.csv')) ? readFileSync(join(out, 'episodes.csv'), 'utf8').split('\n').length - 2 : 0);
    while (lines() < 5) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const written = lines();
    expect(written).toBeGreaterThanOrEqual(5);
    expect(written).toBeLessThan(18);
    appendFileSync(join(out, 'episodes.csv'), 'cubes,3-6,0.4,frames,2,exp'); // a write cut short
    appendFileSync(join(out, 'motion.bin'), new Uint8Array([200, 7, 0, 0, 1, 0])); // and a record
    const resumed = sweep('killed', '--workers', '1');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(bytes('killed').equals(bytes('one'))).toBe(true);
    expect(bytes('killed', 'motion.bin').equals(bytes('one', 'motion.bin'))).toBe(true);
    expect(JSON.parse(bytes('killed', 'run.json').toString()).episodesResumed).toBe(written);
  });
});

describe('sam2grasp sweep --batch: episodes stepped together, their model calls batched', () => {
  /** Every learned head: batched (sam2grasp, act-condition, dp) and not (act-cvae's fixed latent row). */
  const HEADS = spec('heads', { id: 'heads', policies: ['sam2grasp', 'act-condition', 'act-cvae', 'dp'], tasks: ['cubes'], objects: ['3-6'], occlusion: [0.4], episodes: 3 });
  const run = (out: string, ...flags: string[]) => sam2grasp(['sweep', HEADS, '--out', join(dir, out), ...flags]);
  const same = (a: string, b: string) => {
    for (const f of ['episodes.csv', 'motion.bin']) expect(bytes(a, f).equals(bytes(b, f)), `${a} ${f}`).toBe(true);
  };

  it('writes the same bytes for B = 1, 4 and 16, on 1 and 2 workers', () => {
    for (const [out, batch, workers] of [['b1', '1', '1'], ['b4', '4', '1'], ['b16', '16', '1'], ['b4w2', '4', '2']]) {
      const result = run(out, '--batch', batch, '--workers', workers);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(bytes(out, 'run.json').toString())).toMatchObject({ batch: Number(batch), workers: Number(workers) });
    }
    for (const out of ['b4', 'b16', 'b4w2']) same(out, 'b1');
  });

  it('merges shards run with batches, and resumes a batched run killed with SIGKILL, to the same bytes', async () => {
    expect(run('bshard1', '--shard', '1/2', '--batch', '4', '--workers', '1').code).toBe(0);
    expect(run('bshard2', '--shard', '2/2', '--batch', '16', '--workers', '2').code).toBe(0);
    expect(sam2grasp(['merge', '--out', join(dir, 'bmerged'), join(dir, 'bshard1'), join(dir, 'bshard2')]).code).toBe(0);
    same('bmerged', 'b1');
    const out = join(dir, 'bkilled');
    const child = spawn(process.execPath, [CLI, 'sweep', HEADS, '--out', out, '--workers', '1', '--batch', '4'], { cwd: ROOT, stdio: 'ignore' });
    const lines = () => (existsSync(join(out, 'episodes.csv')) ? readFileSync(join(out, 'episodes.csv'), 'utf8').split('\n').length - 2 : 0);
    while (lines() < 3) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(lines()).toBeLessThan(12);
    const resumed = run('bkilled', '--batch', '16', '--workers', '2');
    expect(resumed.code, resumed.stderr).toBe(0);
    same('bkilled', 'b1');
  });

  it('refuses a batch out of range in one line', () => {
    const result = run('bad-batch', '--batch', '0');
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('sam2grasp: --batch: must be between 1 and 64, got 0');
    expect(existsSync(join(dir, 'bad-batch'))).toBe(false);
  });
});

describe('sam2grasp sweep --tracker', () => {
  it('gives prompted policies that tracker, probes it beside every policy, and records both', async () => {
    const result = sam2grasp(['sweep', SMALL, '--out', join(dir, 'oracle'), '--episodes', '1', '--tracker', 'oracle']);
    expect(result.code, result.stderr).toBe(0);
    const { records } = await readCsv(join(dir, 'oracle', 'episodes.csv'));
    expect(records.map((r) => `${r.policy}:${r.perception}`)).toEqual(['expert:', 'sam2grasp:oracle', 'act:oracle', 'expert:', 'sam2grasp:oracle', 'act:oracle']);
    for (const r of records) expect(Number(r.prompt_iou)).toBeGreaterThan(0.3);
    expect(JSON.parse(bytes('oracle', 'sweep.json').toString()).spec.tracker).toBe('oracle');
  });
});

describe('sam2grasp sweep: faults inside episodes', () => {
  it('records an episode whose policy throws as crashed, on a worker thread too, and goes on', async () => {
    const broken = writeHead(tempDir('broken-'), { brokenAtRun: true });
    const faulty = spec('faulty', { id: 'faulty', policies: ['expert', `onnx:${broken}`], tasks: ['cubes'], objects: ['3-6'], episodes: 2 });
    for (const workers of ['1', '2']) {
      const result = sam2grasp(['sweep', faulty, '--out', join(dir, `faulty-${workers}`), '--workers', workers]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/cubes\|3-6\|0\|frames\|0\|hover: crashed \(/);
      const { records } = await readCsv(join(dir, `faulty-${workers}`, 'episodes.csv'));
      expect(records.map((r) => `${r.policy}:${r.failure_reason || 'ok'}`)).toEqual(['expert:ok', 'hover:crashed', 'expert:ok', 'hover:crashed']);
    }
    expect(bytes('faulty-2').equals(bytes('faulty-1'))).toBe(true);
  });
});

describe('sam2grasp gate', () => {
  const reference = () => join(dir, 'one', 'episodes.csv');

  it('passes the real policies against their own reference run (2 workers vs 1)', () => {
    const result = sam2grasp(['gate', '--results', join(dir, 'two'), '--reference', reference()]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/gate: pass: 6 cells, 18 paired episodes \(alpha 0\.01 over all cells, Holm\)/);
    expect(result.stdout).toMatch(/p \(worse\) +Holm p \(alpha 0\.01\)/);
    expect(sam2grasp(['gate', '--help']).stdout).toMatch(/adjusted by Holm's\nstep-down method/);
  });

  it('fails on changed state hashes, unless told to ignore them', () => {
    const rows = readFileSync(reference(), 'utf8').split('\n');
    rows[1] = rows[1].replace(/[0-9a-f]{16}$/, '0000000000000000');
    writeFileSync(join(dir, 'tampered.csv'), rows.join('\n'));
    const result = sam2grasp(['gate', '--results', join(dir, 'tampered.csv'), '--reference', reference()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/expert .* 1 .* FAIL \(hash\)/);
    expect(sam2grasp(['gate', '--results', join(dir, 'tampered.csv'), '--reference', reference(), '--ignore-hashes']).code).toBe(0);
  });

  it('fails on a deliberately weakened policy: the method manifest carrying the baseline weights', () => {
    const models = join(ROOT, 'assets', 'models');
    const candidate = (name: string, onnx: string) => {
      const manifest = { ...JSON.parse(readFileSync(join(models, 'sam2grasp.json'), 'utf8')), name: 'candidate', file: join(models, onnx), encoder: join(models, 'encoder.json') };
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(manifest));
      return `onnx:${path}`;
    };
    const body = { id: 'gated', tasks: ['cubes'], objects: ['3-6'], episodes: 24 };
    const good = spec('gated-good', { ...body, policies: [candidate('candidate-good', 'sam2grasp.onnx')] });
    const weak = spec('gated-weak', { ...body, policies: [candidate('candidate-weak', 'act.onnx')] });
    expect(sam2grasp(['sweep', good, '--out', join(dir, 'good')]).code).toBe(0);
    expect(sam2grasp(['sweep', weak, '--out', join(dir, 'weak')]).code).toBe(0);
    const result = sam2grasp(['gate', '--results', join(dir, 'weak'), '--reference', join(dir, 'good', 'episodes.csv'), '--ignore-hashes']);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toMatch(/candidate .* FAIL \(worse\)/);
  });
});

describe('sweep, merge and gate: bad input is one line, exit code 2, nothing written', () => {
  const base = { id: 'bad', policies: ['expert'], tasks: ['cubes'], objects: ['3-6'], episodes: 2 };
  it.each([
    ['an unknown policy', ['sweep', spec('bad-policy', { ...base, policies: ['expert', 'sam3grasp'] })], /bad-policy\.json: policies\[1\]: unknown policy "sam3grasp" \(known: expert, act/],
    ['an unknown task', ['sweep', spec('bad-task', { ...base, tasks: ['cubez'] })], /bad-task\.json: tasks\[0\]: no such task file or built-in task/],
    ['a misspelt field', ['sweep', spec('bad-field', { ...base, episods: 3 })], /episods: unknown field \(did you mean "episodes"\?\)/],
    ['a reference not among the policies', ['sweep', spec('bad-ref', { ...base, reference: 'act' })], /reference: must be one of the policies/],
    ['shard 3/2', ['sweep', spec('ok', base), '--shard', '3/2'], /--shard: expected i\/N with 1 <= i <= N \(like 2\/4\), got "3\/2"/],
    ['shard 0/0', ['sweep', spec('ok', base), '--shard', '0/0'], /--shard: expected i\/N/],
    ['no spec', ['sweep'], /SPEC: is required/],
  ])('%s', (_, args, message) => {
    const out = join(dir, 'never');
    const result = sam2grasp([...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to merge shards of different sweeps, a shard twice, or a missing shard', () => {
    const other = spec('other', { ...JSON.parse(readFileSync(SMALL, 'utf8')), episodes: 4 });
    expect(sam2grasp(['sweep', other, '--out', join(dir, 'other1'), '--shard', '1/2', '--workers', '1']).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [[join(dir, 'shard1'), join(dir, 'other1')], /other1: holds sweep "small" with config [0-9a-f]{12}, not "small" with config/],
      [[join(dir, 'shard1'), join(dir, 'shard1')], /shard1: is shard 1\/2 again/],
      [[join(dir, 'shard1')], /SHARD_DIR: shard 2\/2 missing/],
    ];
    for (const [dirs, message] of cases) {
      const result = sam2grasp(['merge', '--out', join(dir, 'never-merged'), ...dirs]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'never-merged'))).toBe(false);
  });

  it('refuses a reference with other columns, and a results folder of another sweep', () => {
    const csv = readFileSync(join(dir, 'one', 'episodes.csv'), 'utf8').replace('state_hash', 'hash');
    writeFileSync(join(dir, 'other-columns.csv'), csv);
    const gate = sam2grasp(['gate', '--results', join(dir, 'one'), '--reference', join(dir, 'other-columns.csv')]);
    expect(gate.code).toBe(2);
    expect(gate.stderr.trim()).toMatch(/other-columns\.csv: is not an episodes\.csv of this version \(lacks state_hash; has unknown hash\)$/);
    cpSync(join(dir, 'shard1'), join(dir, 'reused'), { recursive: true });
    const files = () => readdirSync(join(dir, 'reused'), { withFileTypes: true }).filter((f) => f.isFile());
    const before = files().map((f) => bytes('reused', f.name).toString());
    const reused = sweep('reused');
    expect(reused.code).toBe(2);
    expect(reused.stderr).toMatch(/--out: .*reused holds results of another sweep, configuration or shard than this one \(1\/1\)/);
    expect(files().map((f) => bytes('reused', f.name).toString())).toEqual(before);
  });
});
