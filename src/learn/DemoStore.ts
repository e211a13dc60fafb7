import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { InputError, type EpisodeKey } from '../core/index.js';
import type { Box } from '../perception/index.js';
import { createFrame, type Frame } from '../render/index.js';

/** Where one encoded frame sits in frames.bin. */
export interface FramePlace {
  offset: number;
  length: number;
}

/**
 * The cameras of a demo, as a policy knows them: intrinsics `fx, fy, cx, cy` in pixels, and
 * camera-to-world poses as 4 x 4 row-major matrices (OpenGL axes: x right, y up, looking along
 * -z). The scene camera is fixed; the wrist camera moves with the palm, so its pose is per step.
 */
export interface DemoCameras {
  sceneIntrinsics: number[];
  sceneToWorld: number[];
  wristIntrinsics: number[];
  /** Per step. */
  wristToWorld: number[][];
}

/** One demonstration: its key and target, the prompt, and per step the policy's inputs and the label. */
export interface Demo {
  key: EpisodeKey;
  targetSegmentId: number;
  prompt: Box | null;
  /** DART noise was injected into the executed actions of this demo. */
  noisy: boolean;
  /** Per step: proprio [x, y, z, yaw, opening, gripForce, gripper]. */
  proprio: number[][];
  /** Per step: the expert's action [x, y, z, yaw, gripper] (the label, even when noise was executed). */
  actions: number[][];
  /** Per step: where the scene frame sits in frames.bin. */
  frames: FramePlace[];
  /**
   * Per step: where the wrist frame sits in frames.bin. Absent in demos collected before the
   * wrist camera was recorded (stores of earlier versions stay readable; `hasWrist` tells).
   */
  wrist?: FramePlace[];
  /** The cameras; recorded together with the wrist frames. */
  cameras?: DemoCameras;
}

/** The frames a demo stores per step, as `append` takes them. */
export interface DemoFrames {
  scene: readonly Frame[];
  wrist: readonly Frame[];
}

/** Whether a demo carries wrist frames and camera models (collected since they are recorded). */
export function hasWrist(demo: Demo): demo is Demo & { wrist: FramePlace[]; cameras: DemoCameras } {
  return demo.wrist !== undefined && demo.cameras !== undefined && demo.wrist.length === demo.frames.length;
}

/**
 * A folder of demonstrations: `demos.jsonl` (one demo per line, written when the demo ends) and
 * `frames.bin` (scene and wrist frames: RGB, depth in millimetres as uint16, ids as uint8,
 * deflated). Append only: a re-run resumes after the last complete demo.
 */
export class DemoStore {
  private readonly indexPath: string;
  private readonly framesPath: string;

  private readonly settingsPath: string;

  constructor(readonly dir: string) {
    this.indexPath = join(dir, 'demos.jsonl');
    this.framesPath = join(dir, 'frames.bin');
    this.settingsPath = join(dir, 'collect.json');
  }

  /**
   * Records how the demos are collected (task, object counts, noise, start spread), or, when the
   * store already holds demos, checks that a resumed collection asks for the same: demos collected
   * two ways must not be mixed without anyone noticing.
   */
  claim(settings: Record<string, unknown>): void {
    const wanted = JSON.stringify(settings);
    if (this.read().length > 0) {
      const stored = existsSync(this.settingsPath) ? readFileSync(this.settingsPath, 'utf8').trim() : '(no collect.json)';
      if (stored !== wanted) throw new InputError(this.dir, `holds demos collected with ${stored}, not ${wanted}: use another folder`);
      return;
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.settingsPath, `${wanted}\n`);
  }

  /** How the demos were collected (`collect.json`, as `claim` wrote it), or null when there is none. */
  settings(): Record<string, unknown> | null {
    if (!existsSync(this.settingsPath)) return null;
    try {
      return JSON.parse(readFileSync(this.settingsPath, 'utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** Demos already stored, in order (a torn last line is ignored). */
  read(): Demo[] {
    if (!existsSync(this.indexPath)) return [];
    return readFileSync(this.indexPath, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Demo];
        } catch {
          return [];
        }
      });
  }

  /** Whether the folder holds a demonstration set: an index with at least one demo, and its frames. */
  isDemoSet(): boolean {
    return existsSync(this.framesPath) && this.read().length > 0;
  }

  /** Refuses, in one line naming the folder, a folder that holds no demonstrations. */
  requireDemoSet(): void {
    if (!this.isDemoSet()) throw new InputError(this.dir, 'is not a demonstration set (no demos.jsonl with demonstrations beside a frames.bin): record one with sam2grasp collect');
  }

  /**
   * Appends the frames (scene, then wrist, per step), then the index line: a demo is stored only
   * once its line is.
   */
  append(demo: Omit<Demo, 'frames' | 'wrist'>, frames: DemoFrames): void {
    if (frames.wrist.length !== frames.scene.length) throw new Error(`a demo needs one wrist frame per scene frame (${frames.wrist.length} against ${frames.scene.length})`);
    mkdirSync(this.dir, { recursive: true });
    let offset = existsSync(this.framesPath) ? statSync(this.framesPath).size : 0;
    const fd = openSync(this.framesPath, 'a');
    const scene: FramePlace[] = [];
    const wrist: FramePlace[] = [];
    const put = (frame: Frame, into: FramePlace[]) => {
      const bytes = encodeFrame(frame);
      writeSync(fd, bytes);
      into.push({ offset, length: bytes.length });
      offset += bytes.length;
    };
    try {
      for (let i = 0; i < frames.scene.length; i++) {
        put(frames.scene[i], scene);
        put(frames.wrist[i], wrist);
      }
    } finally {
      closeSync(fd);
    }
    appendFileSync(this.indexPath, `${JSON.stringify({ ...demo, frames: scene, wrist })}\n`);
  }

  /**
   * The frames of a demo from one camera (the scene's by default). Depth comes back rounded to
   * millimetres (+Infinity where nothing was hit), ids clipped to 255. A demo without wrist frames
   * (see `hasWrist`) has none to give.
   */
  frames(demo: Demo, width: number, height: number, camera: 'scene' | 'wrist' = 'scene'): Frame[] {
    const places = camera === 'scene' ? demo.frames : demo.wrist;
    if (!places) throw new InputError(this.dir, `demo of episode ${demo.key.index} has no wrist frames (collected before they were recorded)`);
    const fd = openSync(this.framesPath, 'r');
    try {
      return places.map(({ offset, length }) => {
        const bytes = Buffer.alloc(length);
        readSync(fd, bytes, 0, length, offset);
        const frame = decodeFrame(bytes, width, height);
        if (!frame) throw new InputError(this.dir, `the ${camera} frames of episode ${demo.key.index} are not ${width} x ${height}: were they collected with another camera size?`);
        return frame;
      });
    } finally {
      closeSync(fd);
    }
  }
}

const NO_DEPTH = 65535;

function encodeFrame(frame: Frame): Buffer {
  const n = frame.width * frame.height;
  const raw = Buffer.alloc(n * 6);
  raw.set(frame.rgb, 0);
  for (let i = 0; i < n; i++) {
    const d = frame.depth[i];
    raw.writeUInt16LE(Number.isFinite(d) ? Math.min(NO_DEPTH - 1, Math.round(d * 1000)) : NO_DEPTH, 3 * n + 2 * i);
    raw[5 * n + i] = Math.min(255, frame.ids[i]);
  }
  return deflateSync(raw);
}

function decodeFrame(bytes: Buffer, width: number, height: number): Frame | null {
  const raw = inflateSync(bytes);
  const n = width * height;
  if (raw.length !== n * 6) return null;
  const frame = createFrame(width, height);
  frame.rgb.set(raw.subarray(0, 3 * n));
  for (let i = 0; i < n; i++) {
    const mm = raw.readUInt16LE(3 * n + 2 * i);
    frame.depth[i] = mm === NO_DEPTH ? Infinity : mm / 1000;
    frame.ids[i] = raw[5 * n + i];
  }
  return frame;
}
