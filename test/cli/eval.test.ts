import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EPISODE_COLUMNS, readCsv, SUMMARY_COLUMNS } from '../../src/bench/index.js';
import { writeHead } from '../policy/hoverHead.js';
import { CLI, ROOT, sam2grasp, tempDir } from './helpers.js';

describe('sam2grasp eval', () => {
  const dir = tempDir();

  it('writes byte-identical episodes.csv for identical commands, with the fixed schema', async () => {
    const run = (out: string) => sam2grasp(['eval', '--task', 'cubes', '--episodes', '6', '--out', join(dir, out)]);
    const first = run('a');
    expect(first.code, first.stderr).toBe(0);
    expect(run('b').code).toBe(0);
    const a = readFileSync(join(dir, 'a', 'episodes.csv'));
    expect(readFileSync(join(dir, 'b', 'episodes.csv')).equals(a)).toBe(true);

    const episodes = await readCsv(join(dir, 'a', 'episodes.csv'));
    expect(episodes.columns).toEqual([...EPISODE_COLUMNS]);
    expect(episodes.records.map((r) => r.index)).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const r of episodes.records) {
      expect(r.success_target).toMatch(/^[01]$/);
      expect(r.state_hash).toMatch(/^[0-9a-f]{16}$/);
      expect(r.success_at_reset).toBe('');
      expect(Number(r.candidates)).toBeGreaterThanOrEqual(1);
      expect(Number(r.candidates)).toBeLessThanOrEqual(Number(r.n_objects));
    }
    const summary = await readCsv(join(dir, 'a', 'summary.csv'));
    expect(summary.columns).toEqual([...SUMMARY_COLUMNS]);
    expect(summary.records[0]).toMatchObject({ policy: 'expert', task: 'cubes', objects: '3-6', n: '6' });
    const chance = episodes.records.reduce((sum, r) => sum + 1 / Number(r.candidates), 0) / episodes.records.length;
    expect(Number(summary.records[0].chance)).toBeCloseTo(chance, 4);
    expect(readFileSync(join(dir, 'a', 'table.md'), 'utf8')).toMatch(/\| chance \(1 \/ candidates\) \| \d+\.\d \|/);
    const run_ = JSON.parse(readFileSync(join(dir, 'a', 'run.json'), 'utf8'));
    expect(run_.wallSeconds).toBeGreaterThan(0);
    expect(run_.packages['@dimforge/rapier3d-deterministic-compat']).toBe('0.21.0');
    expect(first.stdout).toMatch(/eval: cubes, occlusion p = 0 — success_target % \[Wilson 95 %\], n = 6 per cell\nMethod +3-6 objects/);
  });

  it('runs the keys from --first-key on: a key gives the same row whatever run it is part of', async () => {
    const run = (out: string, first: string, episodes: string) => {
      const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', episodes, '--first-key', first, '--no-record', '--out', join(dir, out)]);
      expect(result.code, result.stderr).toBe(0);
      return readCsv(join(dir, out, 'episodes.csv'));
    };
    const both = await run('held-2', '3000000', '2');
    const second = await run('held-1', '3000001', '1');
    expect(both.records.map((r) => r.index)).toEqual(['3000000', '3000001']);
    expect(second.records[0]).toEqual(both.records[1]);
    expect(readFileSync(join(dir, 'held-2', 'table.md'), 'utf8')).toContain('2 episodes per cell (keys 3000000-3000001)');
  });

  it('runs under occlusion with a tracking probe, and records the probe in every row', async () => {
    const out = join(dir, 'occluded');
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '3', '--occlusion', '0.4', '--occlusion-mode', 'windows:3', '--tracker', 'oracle', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const { records } = await readCsv(join(out, 'episodes.csv'));
    for (const r of records) {
      expect(r).toMatchObject({ occlusion: '0.4', occlusion_mode: 'windows:3' });
      expect(Number(r.prompt_iou)).toBeGreaterThan(0.3);
      expect(Number(r.track_iou)).toBeGreaterThan(0.2);
      expect(r.track_switches).toMatch(/^\d+$/);
      expect(r.perception).toBe(''); // the expert drove; the probe's tracker is in run.json
    }
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).tracker).toBe('oracle');
  });

  it('is a sweep of one cell: killed with SIGKILL and rerun, it gives the uninterrupted bytes', async () => {
    const out = join(dir, 'killed');
    const args = ['eval', '--task', 'cubes', '--episodes', '6', '--workers', '1', '--out', out];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore' });
    const lines = () => (existsSync(join(out, 'episodes.csv')) ? readFileSync(join(out, 'episodes.csv'), 'utf8').split('\n').length - 2 : 0);
    while (lines() < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(lines()).toBeLessThan(6);
    const resumed = sam2grasp(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const file of ['episodes.csv', 'summary.csv', 'table.md']) expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, 'a', file))), file).toBe(true);
  });

  it('refuses a folder that holds another configuration, touching nothing', () => {
    const before = readFileSync(join(dir, 'a', 'episodes.csv'));
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '6', '--objects', '4', '--out', join(dir, 'a')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^sam2grasp: --out: .*\/a holds results of another sweep, configuration or shard than this one/);
    expect(readFileSync(join(dir, 'a', 'episodes.csv')).equals(before)).toBe(true);
  });

  it('records an episode whose policy throws as crashed, and goes on', async () => {
    const broken = writeHead(tempDir('broken-'), { brokenAtRun: true });
    const out = join(dir, 'crashed');
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '2', '--policy', `onnx:${broken}`, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const { records } = await readCsv(join(out, 'episodes.csv'));
    expect(records.map((r) => r.failure_reason)).toEqual(['crashed', 'crashed']);
  });
});

describe('bad input: one line naming the culprit, exit code 2, nothing written', () => {
  const dir = tempDir();
  const task = (name: string, body: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };
  const cubes = { id: 'x', objects: { count: 3, pool: ['cubes'] } };
  /** A task of one custom convex object. */
  const custom = (name: string, points: number[][]) => ({ id: 'x', objects: { count: 1, pool: [name], custom: [{ name, shape: { kind: 'convex', points }, mass: 0.1, colour: '#aabbcc' }] } });

  it.each([
    ['malformed JSON', ['--task', task('malformed', '{"id": "x",')], /malformed\.json: malformed JSON/],
    ['a misspelt field', ['--task', task('misspelt', { ...cubes, layuot: 'pile' })], /layuot: unknown field \(did you mean "layout"\?\)/],
    ['0 objects in the spec', ['--task', task('zero', { ...cubes, objects: { count: 0, pool: ['cubes'] } })], /zero\.json: objects\.count/],
    ['31 objects on the command line', ['--task', 'cubes', '--objects', '31'], /--objects: object counts must be between 1 and 30/],
    ['0 objects on the command line', ['--task', 'cubes', '--objects', '0'], /--objects: object counts must be between 1 and 30/],
    [
      'an object too large for the bin',
      ['--task', task('huge', { ...cubes, objects: { count: 1, pool: ['plank'], custom: [{ name: 'plank', shape: { kind: 'box', size: [0.35, 0.05, 0.05] }, mass: 0.3, colour: '#aabbcc' }] } })],
      /"plank" is .* cm across and cannot fit/,
    ],
    ['collinear points', ['--task', task('collinear', custom('stick', [[0, 0, 0], [0.01, 0, 0], [0.02, 0, 0], [0.04, 0, 0]]))], /collinear\.json: objects\.custom\[0\]\.shape\.points: collinear \(no volume/],
    ['coplanar points', ['--task', task('coplanar', custom('tile', [[0, 0, 0], [0.03, 0, 0], [0, 0.03, 0], [0.03, 0.03, 0], [0.015, 0.01, 0]]))], /coplanar\.json: objects\.custom\[0\]\.shape\.points: coplanar \(no volume/],
    [
      'a hull too wide for the gripper',
      ['--task', task('wide', custom('slab', [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [0, 0.03].map((z) => [0.06 * x, 0.05 * y, z])))))],
      /wide\.json: objects\.custom\[0\]\.shape: "slab" is 10\.0 cm wide at its narrowest; the gripper opens 10\.0 cm and must open 1\.5 cm wider/,
    ],
    ['an unknown policy', ['--task', 'cubes', '--policy', 'ackt'], /--policy: unknown policy "ackt" \(known: expert, act, act-cvae, act-condition, sam2grasp, dp, dp-prompted, or onnx:path\/to\/manifest\.json\)/],
    ['an unknown task', ['--task', 'cubez'], /--task: no such task file or built-in task "cubez" \(built-in: cubes, lookalike, lookalike2, .*packed, pile, unseen\)/],
    ['a negative episode count', ['--task', 'cubes', '--episodes', '-5'], /--episodes: must be between 1 and 100000, got -5/],
    ['a negative first key', ['--task', 'cubes', '--first-key', '-1'], /--first-key: must be between 0 and 1000000000, got -1/],
    ['an unknown flag', ['--task', 'cubes', '--episods', '5'], /--episods: unknown flag/],
    [
      'a camera that looks at nothing',
      ['--task', task('sky', { ...cubes, cameras: { scene: { position: [0, -0.3, 0.7], lookAt: [1, 0.3, 0.7] } } })],
      /sky\.json: cameras\.scene: looks at nothing: the bin's centre is outside its image/,
    ],
    [
      'a camera looking away from the bin',
      ['--task', task('away', { ...cubes, cameras: { scene: { position: [0, -0.3, 0.7], lookAt: [0, -0.6, 0.7] } } })],
      /away\.json: cameras\.scene: looks at nothing: the bin's centre is behind it/,
    ],
    ['a zero resolution', ['--task', task('zero-res', { ...cubes, cameras: { wrist: { width: 0 } } })], /zero-res\.json: cameras\.wrist\.width: Too small: expected number to be >=8 \(got 0\)/],
    ['a huge resolution', ['--task', task('huge-res', { ...cubes, cameras: { scene: { height: 4096 } } })], /huge-res\.json: cameras\.scene\.height: Too big: expected number to be <=1024 \(got 4096\)/],
    ['an occlusion level of 1', ['--task', 'cubes', '--occlusion', '1'], /--occlusion: must be at least 0 and below 1, got 1/],
    ['push blackouts on a task without a pusher', ['--task', 'cubes', '--occlusion', '0.2', '--occlusion-mode', 'push:5'], /--occlusion-mode: push:5 blacks out the pusher's stroke, and task "cubes" has no pusher/],
    ['a malformed occlusion mode', ['--task', 'cubes', '--occlusion', '0.2', '--occlusion-mode', 'windows'], /--occlusion-mode: expected frames, windows:L, distractor:L or push:L/],
    ['an unknown tracker', ['--task', 'cubes', '--tracker', 'sam3'], /--tracker: expected learned, oracle or sam2:path\/to\/manifest\.json, got "sam3"/],
    ['a SAM2 manifest that does not exist', ['--task', 'cubes', '--tracker', 'sam2:/nowhere/sam2.json'], /\/nowhere\/sam2\.json: no such file/],
    ['a field of view out of range', ['--task', task('fov', { ...cubes, cameras: { scene: { fov: 179 } } })], /fov\.json: cameras\.scene\.fov: Too big: expected number to be <=150 \(got 179\)/],
  ])('%s', (_, args, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const result = sam2grasp(['eval', ...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('a 200 000-point hull: the line quotes a short excerpt', () => {
    const points = Array.from({ length: 200_000 }, (_, i) => [0.03 * Math.cos(i), 0.03 * Math.sin(i), (i % 5) / 100]);
    const out = join(dir, 'out-huge-hull');
    const result = sam2grasp(['eval', '--task', task('huge-hull', custom('blob', points)), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/huge-hull\.json: objects\.custom\[0\]\.shape\.points: Too big: expected array to have <=256 items \(got \[\[0\.03,0,0\],.*… \(200000 items\)\)$/m);
    expect(result.stderr.length).toBeLessThan(300);
    expect(existsSync(out)).toBe(false);
  });

  it('an --out that cannot be written', () => {
    const file = task('not-a-folder', '{}');
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '1', '--out', join(file, 'sub')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^sam2grasp: --out: cannot create .*not-a-folder\.json\/sub \(ENOTDIR\)$/);
  });

  it('an unknown command', () => {
    const result = sam2grasp(['evaluate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('sam2grasp: command: unknown "evaluate" (commands: eval, bench, render, collect, cache, train, train-perception, sweep, merge, gate, export, report)');
  });
});
