import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { InputError, type EpisodeKey } from '../core/index.js';
import type { Box } from '../perception/index.js';
import { createFrame, type Frame } from '../render/index.js';

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
  frames: { offset: number; length: number }[];
}

/**
 * A folder of demonstrations: `demos.jsonl` (one demo per line, written when the demo ends) and
 * `frames.bin` (scene frames: RGB, depth in millimetres as uint16, ids as uint8, deflated). Append
 * only: a re-run resumes after the last complete demo.
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

  /** Appends the frames, then the index line: a demo is stored only once its line is. */
  append(demo: Omit<Demo, 'frames'>, frames: readonly Frame[]): void {
    mkdirSync(this.dir, { recursive: true });
    let offset = existsSync(this.framesPath) ? statSync(this.framesPath).size : 0;
    const fd = openSync(this.framesPath, 'a');
    const placed: Demo['frames'] = [];
    try {
      for (const frame of frames) {
        const bytes = encodeFrame(frame);
        writeSync(fd, bytes);
        placed.push({ offset, length: bytes.length });
        offset += bytes.length;
      }
    } finally {
      closeSync(fd);
    }
    appendFileSync(this.indexPath, `${JSON.stringify({ ...demo, frames: placed })}\n`);
  }

  /** The scene frames of a demo. */
  frames(demo: Demo, width: number, height: number): Frame[] {
    const fd = openSync(this.framesPath, 'r');
    try {
      return demo.frames.map(({ offset, length }) => {
        const bytes = Buffer.alloc(length);
        readSync(fd, bytes, 0, length, offset);
        return decodeFrame(bytes, width, height);
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

function decodeFrame(bytes: Buffer, width: number, height: number): Frame {
  const raw = inflateSync(bytes);
  const n = width * height;
  const frame = createFrame(width, height);
  frame.rgb.set(raw.subarray(0, 3 * n));
  for (let i = 0; i < n; i++) {
    const mm = raw.readUInt16LE(3 * n + 2 * i);
    frame.depth[i] = mm === NO_DEPTH ? Infinity : mm / 1000;
    frame.ids[i] = raw[5 * n + i];
  }
  return frame;
}
