import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { collectDemos, DemoStore, episodePath, exportLeRobot, hasWrist } from '../../src/learn/index.js';
import { objectSegmentId } from '../../src/render/index.js';
import { tempDir } from '../cli/helpers.js';

/** Reads an episode file with parquet-wasm (arrow-rs): an implementation independent of the writer's. */
function readEpisode(path: string): Table {
  return tableFromIPC(readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
}

const pngOf = (cell: { bytes: Uint8Array }) => PNG.sync.read(Buffer.from(cell.bytes), { skipRescale: true });

describe('sam2grasp export: demonstrations as a LeRobot v2.1 dataset', () => {
  const task = loadTask('cubes');
  const work = tempDir('export-');
  const store = new DemoStore(join(work, 'demos'));
  const out = join(work, 'lerobot');

  it('collects wrist frames and cameras with every demo, and exports them, read back by an independent reader', async () => {
    // Demos start at home (startSpread 0), so a demo's first frame is what reset renders.
    await collectDemos({ task, objects: { min: 2, max: 3 }, demos: 3, singleShare: 0, noisyShare: 0, startSpread: 0, store });
    const demos = store.read();
    expect(demos.every(hasWrist)).toBe(true);
    const info = exportLeRobot({ store, task, outDir: out });

    // meta/info.json: counts, fps, the features with their dtypes and shapes.
    const onDisk = JSON.parse(readFileSync(join(out, 'meta', 'info.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(info)));
    const frames = demos.reduce((n, d) => n + d.actions.length, 0);
    expect(onDisk).toMatchObject({ codebase_version: 'v2.1', fps: task.spec.control.controlHz, total_episodes: 3, total_frames: frames, total_tasks: 1, chunks_size: 1000, total_chunks: 1, video_path: null });
    expect(onDisk.data_path).toBe('data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet');
    const f = onDisk.features;
    expect(f['observation.images.scene']).toMatchObject({ dtype: 'image', shape: [128, 128, 3], names: ['height', 'width', 'channels'] });
    expect(f['observation.images.wrist']).toMatchObject({ dtype: 'image', shape: [128, 128, 3] });
    expect(f['observation.depth.scene']).toMatchObject({ dtype: 'image', shape: [128, 128, 1] });
    expect(f['observation.prompt.mask']).toMatchObject({ dtype: 'image', shape: [128, 128, 1] });
    expect(f['observation.state']).toMatchObject({ dtype: 'float32', shape: [7], names: ['x', 'y', 'z', 'yaw', 'opening', 'gripForce', 'gripper'] });
    expect(f.action).toMatchObject({ dtype: 'float32', shape: [5], names: ['x', 'y', 'z', 'yaw', 'gripper'] });
    expect(f['observation.prompt.box']).toMatchObject({ dtype: 'float32', shape: [4] });
    expect(f['observation.extrinsics.scene']).toMatchObject({ dtype: 'float32', shape: [4, 4] });
    for (const k of ['timestamp', 'frame_index', 'episode_index', 'index', 'task_index']) expect(f[k].shape).toEqual([1]);

    const lines = (name: string) => readFileSync(join(out, 'meta', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines('tasks.jsonl')).toEqual([{ task_index: 0, task: 'Pick up the object inside the prompt box.' }]);
    expect(lines('episodes.jsonl').map((e) => [e.episode_index, e.length])).toEqual(demos.map((d, i) => [i, d.actions.length]));
    const stats = lines('episodes_stats.jsonl');
    expect(stats[0].stats['observation.images.scene'].mean).toHaveLength(3);
    expect(stats[0].stats.action.count).toEqual([demos[0].actions.length]);
    expect(readdirSync(join(out, 'data', 'chunk-000'))).toEqual(['episode_000000.parquet', 'episode_000001.parquet', 'episode_000002.parquet']);

    // Episode 1, read by parquet-wasm: the column types LeRobot's loader expects.
    const table = readEpisode(join(out, episodePath(1)));
    const demo = demos[1];
    expect(table.numRows).toBe(demo.actions.length);
    expect(table.schema.fields.map((x) => x.name)).toEqual(Object.keys(f));
    expect(String(table.getChild('observation.images.scene')!.type)).toMatch(/^Struct<\{bytes:Binary, path:Utf8\}>$/);
    expect(String(table.getChild('observation.state')!.type)).toBe('List<Float32>');
    expect(String(table.getChild('observation.extrinsics.scene')!.type)).toBe('List<List<Float32>>');
    expect(String(table.getChild('index')!.type)).toBe('Int64');
    const row = (name: string, t: number) => table.getChild(name)!.get(t);
    const list = (v: { toArray(): ArrayLike<number> }) => Array.from(v.toArray());
    expect(list(row('observation.state', 3))).toEqual(Array.from(Float32Array.from(demo.proprio[3])));
    expect(list(row('action', 3))).toEqual(Array.from(Float32Array.from(demo.actions[3])));
    expect(list(row('observation.prompt.box', 0))).toEqual(Array.from(Float32Array.from([demo.prompt!.x0, demo.prompt!.y0, demo.prompt!.x1, demo.prompt!.y1])));
    expect(row('frame_index', 2)).toBe(2n);
    expect(row('episode_index', 2)).toBe(1n);
    expect(row('index', 0)).toBe(BigInt(demos[0].actions.length));
    expect(row('timestamp', 5)).toBeCloseTo(0.5, 6);

    // Frame 0, decoded from the Parquet's PNG bytes, equals what the env renders at the demo's reset, byte for byte.
    const env = await GraspEnv.create(task);
    try {
      const { observation } = env.reset(demo.key);
      const rendered = { scene: observation.frames.scene, wrist: observation.frames.wrist };
      const truth = env.trueFrames();
      const scene = pngOf(row('observation.images.scene', 0));
      expect([scene.width, scene.height]).toEqual([128, 128]);
      expect(Buffer.from(rgbOfRgba(scene.data)).equals(Buffer.from(rendered.scene.rgb))).toBe(true);
      const wrist = pngOf(row('observation.images.wrist', 0));
      expect(Buffer.from(rgbOfRgba(wrist.data)).equals(Buffer.from(rendered.wrist.rgb))).toBe(true);
      // Depth: 16-bit millimetres, 0 where nothing is hit.
      const depth = gray16(pngOf(row('observation.depth.scene', 0)));
      const wanted = Array.from(rendered.scene.depth, (d) => (Number.isFinite(d) ? Math.round(d * 1000) : 0));
      expect(Array.from(depth)).toEqual(wanted);
      expect(wanted.some((mm) => mm > 0)).toBe(true);
      // The mask is the target's true pixels.
      const mask = pngOf(row('observation.prompt.mask', 0));
      const target = objectSegmentId(env.privileged().target);
      const maskBits = Array.from({ length: 128 * 128 }, (_, i) => mask.data[4 * i]);
      expect(maskBits).toEqual(Array.from(truth.scene.ids, (id) => (id === target ? 255 : 0)));
      expect(maskBits.filter((v) => v === 255).length).toBeGreaterThan(20);
      // The cameras: intrinsics as fx, fy, cx, cy; camera-to-world row-major.
      const { fx, fy, cx, cy } = observation.cameras.scene.intrinsics;
      expect(list(row('observation.intrinsics.scene', 0))).toEqual(Array.from(Float32Array.from([fx, fy, cx, cy])));
      const m = observation.cameras.wrist.cameraToWorld;
      const extrinsics = [...row('observation.extrinsics.wrist', 0)].map(list);
      expect(extrinsics).toEqual([0, 1, 2, 3].map((r) => Array.from(Float32Array.from([0, 1, 2, 3].map((c) => m[c * 4 + r])))));
      expect(extrinsics[3]).toEqual([0, 0, 0, 1]);
    } finally {
      env.close();
    }
  });

  it('refuses a folder that is not a demonstration set, in one line naming it, and writes nothing', () => {
    const empty = tempDir('not-demos-');
    writeFileSync(join(empty, 'notes.txt'), 'hello\n');
    const target = join(work, 'from-empty');
    expect(() => exportLeRobot({ store: new DemoStore(empty), task, outDir: target })).toThrow(InputError);
    expect(() => exportLeRobot({ store: new DemoStore(empty), task, outDir: target })).toThrow(new RegExp(`^${empty}: is not a demonstration set`));
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('refuses an existing output folder, and a store whose demos have no wrist frames', () => {
    expect(() => exportLeRobot({ store, task, outDir: out })).toThrow(/already exists/);
    // A store written before wrist frames were recorded: the same demo line without them.
    const old = join(tempDir('old-demos-'), 'demos');
    mkdirSync(old, { recursive: true });
    const demo = store.read()[0];
    const { wrist: _w, cameras: _c, ...before } = demo;
    writeFileSync(join(old, 'frames.bin'), readFileSync(join(store.dir, 'frames.bin')));
    appendFileSync(join(old, 'demos.jsonl'), `${JSON.stringify(before)}\n`);
    const target = join(dirname(old), 'lerobot');
    expect(() => exportLeRobot({ store: new DemoStore(old), task, outDir: target })).toThrow(/has no wrist frames .*collect again/);
    expect(existsSync(target)).toBe(false);
    // Older stores stay readable: their scene frames still come back.
    expect(new DemoStore(old).frames(new DemoStore(old).read()[0], 128, 128)).toHaveLength(demo.actions.length);
  });
});

function rgbOfRgba(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) out.set(rgba.subarray(i, i + 3), j);
  return out;
}

/** pngjs gives a 16-bit grey PNG (skipRescale) as 16-bit RGBA samples; the grey level is the first. */
function gray16(png: PNG): Uint16Array {
  const data = png.data as unknown as Uint16Array;
  return Uint16Array.from({ length: png.width * png.height }, (_, i) => data[4 * i]);
}
