import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { InputError } from '../core/index.js';
import { gray16Png, gray8Png, rgbPng, type Frame } from '../render/index.js';
import type { Task } from '../sim/index.js';
import { hasWrist, type Demo, type DemoCameras, type DemoStore } from './DemoStore.js';
import { imageStats, vectorStats, type FeatureStats } from './episodeStats.js';
import { refuseEvaluationKeys } from './refuseEvaluationKeys.js';
import { huggingFaceFeatures, leRobotFeatures, parquetSchema, type LeRobotFeatures } from './leRobotFeatures.js';

/** LeRobot's dataset format that the export writes. */
export const LEROBOT_CODEBASE_VERSION = 'v2.1';
/** Episodes per `data/chunk-NNN/` folder (LeRobot's default). */
export const CHUNKS_SIZE = 1000;
/** The robot, as `info.json` names it. */
export const ROBOT_TYPE = 'sam2grasp_parallel_jaw';
/** The one task of every episode: which object is meant is the prompt box's to say. */
export const TASK_TEXT = 'Pick up the object inside the prompt box.';

const DATA_PATH = 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet';

export interface ExportOptions {
  store: DemoStore;
  /** The task the demos were collected on: its control rate is the dataset's fps, its cameras the image sizes. */
  task: Task;
  /** A folder that must not exist yet; written whole or not at all. */
  outDir: string;
  onEpisode?: (done: number, total: number) => void;
}

/** What `meta/info.json` says, as written. */
export interface LeRobotInfo {
  codebase_version: string;
  robot_type: string;
  total_episodes: number;
  total_frames: number;
  total_tasks: number;
  total_videos: number;
  total_chunks: number;
  chunks_size: number;
  fps: number;
  splits: Record<string, string>;
  data_path: string;
  video_path: null;
  features: LeRobotFeatures;
  cameras: Record<'scene' | 'wrist', { width: number; height: number; fovDegrees: number }>;
  source: { demos: string; task: string; collect: Record<string, unknown> | null };
}

/**
 * Writes the demonstrations of a store as a LeRobot dataset (codebase v2.1): `meta/info.json`,
 * `meta/episodes.jsonl`, `meta/tasks.jsonl`, `meta/episodes_stats.jsonl`, and one Parquet file per
 * episode under `data/chunk-NNN/`, images as PNG inside the Parquet image struct. Everything is
 * written into a sibling temporary folder renamed to `outDir` at the end, so a failed export leaves
 * nothing behind. Parquet pages are PLAIN-encoded and uncompressed (PNG is already deflated), so
 * a reader needs no Snappy: Python's standard library reads them (examples/pytorch/).
 */
export function exportLeRobot(options: ExportOptions): LeRobotInfo {
  const { store, task, outDir } = options;
  const demos = demosToExport(store);
  if (existsSync(outDir)) throw new InputError(outDir, 'already exists: export into a new folder');
  const { cameras, control } = task.spec;
  const features = leRobotFeatures(cameras);
  const tmp = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  let frames = 0;
  try {
    mkdirSync(join(tmp, 'meta'), { recursive: true });
    const episodes: string[] = [];
    const stats: string[] = [];
    demos.forEach((demo, episode) => {
      const rows = episodeColumns(store, task, demo, episode, frames);
      const path = join(tmp, episodePath(episode));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, Buffer.from(writeEpisode(features, rows.columns)));
      episodes.push(JSON.stringify({ episode_index: episode, tasks: [TASK_TEXT], length: demo.actions.length, episode_key: demo.key, target_segment_id: demo.targetSegmentId, noisy: demo.noisy }));
      stats.push(JSON.stringify({ episode_index: episode, stats: rows.stats }));
      frames += demo.actions.length;
      options.onEpisode?.(episode + 1, demos.length);
    });
    const info: LeRobotInfo = {
      codebase_version: LEROBOT_CODEBASE_VERSION,
      robot_type: ROBOT_TYPE,
      total_episodes: demos.length,
      total_frames: frames,
      total_tasks: 1,
      total_videos: 0,
      total_chunks: Math.ceil(demos.length / CHUNKS_SIZE),
      chunks_size: CHUNKS_SIZE,
      fps: control.controlHz,
      splits: { train: `0:${demos.length}` },
      data_path: DATA_PATH,
      video_path: null,
      features,
      cameras: {
        scene: { width: cameras.scene.width, height: cameras.scene.height, fovDegrees: cameras.scene.fov },
        wrist: { width: cameras.wrist.width, height: cameras.wrist.height, fovDegrees: cameras.wrist.fov },
      },
      source: { demos: store.dir, task: task.spec.id, collect: store.settings() },
    };
    writeFileSync(join(tmp, 'meta', 'info.json'), `${JSON.stringify(info, null, 4)}\n`);
    writeFileSync(join(tmp, 'meta', 'tasks.jsonl'), `${JSON.stringify({ task_index: 0, task: TASK_TEXT })}\n`);
    writeFileSync(join(tmp, 'meta', 'episodes.jsonl'), `${episodes.join('\n')}\n`);
    writeFileSync(join(tmp, 'meta', 'episodes_stats.jsonl'), `${stats.join('\n')}\n`);
    renameSync(tmp, outDir);
    return info;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The file of an episode, relative to the dataset's root (`data_path` filled in). */
export function episodePath(episode: number): string {
  const chunk = String(Math.floor(episode / CHUNKS_SIZE)).padStart(3, '0');
  return `data/chunk-${chunk}/episode_${String(episode).padStart(6, '0')}.parquet`;
}

/** The store's demos, or one line saying why the folder cannot be exported. */
function demosToExport(store: DemoStore): (Demo & { cameras: DemoCameras })[] {
  store.requireDemoSet();
  const demos = store.read();
  refuseEvaluationKeys(demos, store.dir);
  const without = demos.find((d) => !hasWrist(d));
  if (without) {
    throw new InputError(store.dir, `the demonstration of episode ${without.key.index} has no wrist frames (collected before collect recorded them): collect again into a new folder`);
  }
  return demos as (Demo & { cameras: DemoCameras })[];
}

function writeEpisode(features: LeRobotFeatures, columns: Record<string, unknown[]>): ArrayBuffer {
  const columnData: ColumnSource[] = Object.keys(features).map((name) => ({ name, data: columns[name], encoding: 'PLAIN' }));
  const rows = columns.index.length;
  return parquetWriteBuffer({
    columnData,
    schema: parquetSchema(features),
    codec: 'UNCOMPRESSED',
    statistics: false,
    rowGroupSize: rows,
    kvMetadata: [{ key: 'huggingface', value: JSON.stringify(huggingFaceFeatures(features)) }],
    createdBy: 'sam2grasp-bench export (hyparquet-writer)',
  });
}

const f32 = (values: readonly number[]) => values.map((v) => Math.fround(v));

/** One episode's columns, row by row, and its stats. */
function episodeColumns(store: DemoStore, task: Task, demo: Demo & { cameras: DemoCameras }, episode: number, firstIndex: number) {
  const { scene: sceneSize, wrist: wristSize } = task.spec.cameras;
  const scene = store.frames(demo, sceneSize.width, sceneSize.height, 'scene');
  const wrist = store.frames(demo, wristSize.width, wristSize.height, 'wrist');
  const fps = task.spec.control.controlHz;
  const n = demo.actions.length;
  const box = demo.prompt ? [demo.prompt.x0, demo.prompt.y0, demo.prompt.x1, demo.prompt.y1] : [NaN, NaN, NaN, NaN];
  const png = (bytes: Buffer, t: number) => ({ bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path: `frame_${String(t).padStart(6, '0')}.png` });
  const columns: Record<string, unknown[]> = {};
  const put = (name: string, value: unknown) => (columns[name] ??= []).push(value);
  const sceneDepths: Uint16Array[] = [];
  const wristDepths: Uint16Array[] = [];
  const masks: Uint8Array[] = [];
  for (let t = 0; t < n; t++) {
    const sceneDepth = depthMillimetres(scene[t]);
    const wristDepth = depthMillimetres(wrist[t]);
    const mask = targetMask(scene[t], demo.targetSegmentId);
    sceneDepths.push(sceneDepth);
    wristDepths.push(wristDepth);
    masks.push(mask);
    put('observation.images.scene', png(rgbPng(sceneSize.width, sceneSize.height, scene[t].rgb), t));
    put('observation.images.wrist', png(rgbPng(wristSize.width, wristSize.height, wrist[t].rgb), t));
    put('observation.depth.scene', png(gray16Png(sceneSize.width, sceneSize.height, sceneDepth), t));
    put('observation.depth.wrist', png(gray16Png(wristSize.width, wristSize.height, wristDepth), t));
    put('observation.prompt.mask', png(gray8Png(sceneSize.width, sceneSize.height, mask), t));
    put('observation.state', f32(demo.proprio[t]));
    put('observation.prompt.box', f32(box));
    put('observation.intrinsics.scene', f32(demo.cameras.sceneIntrinsics));
    put('observation.extrinsics.scene', rows4(demo.cameras.sceneToWorld));
    put('observation.intrinsics.wrist', f32(demo.cameras.wristIntrinsics));
    put('observation.extrinsics.wrist', rows4(demo.cameras.wristToWorld[t]));
    put('action', f32(demo.actions[t]));
    put('timestamp', Math.fround(t / fps));
    put('frame_index', BigInt(t));
    put('episode_index', BigInt(episode));
    put('index', BigInt(firstIndex + t));
    put('task_index', 0n);
  }
  const vec = (name: string, shape: number[]) => vectorStats((columns[name] as number[][]).map((r) => r.flat()), shape);
  const scalar = (name: string) => vectorStats(columns[name].map((v) => [Number(v)]), [1]);
  const stats: Record<string, FeatureStats> = {
    'observation.images.scene': imageStats(scene.map((f) => f.rgb), 3, 1 / 255),
    'observation.images.wrist': imageStats(wrist.map((f) => f.rgb), 3, 1 / 255),
    'observation.depth.scene': imageStats(sceneDepths, 1, 1 / 1000),
    'observation.depth.wrist': imageStats(wristDepths, 1, 1 / 1000),
    'observation.prompt.mask': imageStats(masks, 1, 1 / 255),
    'observation.state': vec('observation.state', [7]),
    'observation.prompt.box': vec('observation.prompt.box', [4]),
    'observation.intrinsics.scene': vec('observation.intrinsics.scene', [4]),
    'observation.extrinsics.scene': vec('observation.extrinsics.scene', [4, 4]),
    'observation.intrinsics.wrist': vec('observation.intrinsics.wrist', [4]),
    'observation.extrinsics.wrist': vec('observation.extrinsics.wrist', [4, 4]),
    action: vec('action', [5]),
    timestamp: scalar('timestamp'),
    frame_index: scalar('frame_index'),
    episode_index: scalar('episode_index'),
    index: scalar('index'),
    task_index: scalar('task_index'),
  };
  return { columns, stats };
}

/** Depth in whole millimetres, 0 where nothing was hit (the store already keeps millimetres). */
export function depthMillimetres(frame: Frame): Uint16Array {
  const out = new Uint16Array(frame.width * frame.height);
  for (let i = 0; i < out.length; i++) {
    const d = frame.depth[i];
    out[i] = Number.isFinite(d) ? Math.min(65535, Math.round(d * 1000)) : 0;
  }
  return out;
}

/** 255 where the scene camera sees the target, else 0. */
function targetMask(frame: Frame, targetSegmentId: number): Uint8Array {
  const out = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < out.length; i++) out[i] = frame.ids[i] === targetSegmentId ? 255 : 0;
  return out;
}

function rows4(rowMajor: readonly number[]): number[][] {
  return [0, 1, 2, 3].map((r) => f32(rowMajor.slice(r * 4, r * 4 + 4)));
}
