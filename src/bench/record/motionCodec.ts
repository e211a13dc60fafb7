import { POSE_STRIDE, type EpisodeMotion } from './EpisodeMotion.js';

// Pure code, no node imports: the report page bundles it to read motion.bin in the browser.
//
// A record: u32 length of what follows (0: no recording for this row), then
//   u8 version, u8 flags (1: boxes, 2: pusher), u8 objects, u8 target, u8 bodies, u16 steps,
//   u16 + UTF-8 unit id, u16 + UTF-8 object names joined by ',',
//   steps x u8 gripper command (x 254; 255: none),
//   [boxes] steps x 4 x u16 (quarter pixels; 0xffff: none),
//   frames 0 .. steps-1: a bit per body (ceil(bodies / 8) bytes), set for the bodies that did not
//     move as predicted, then for those 7 zigzag varints each: every value's error against its
//     prediction from the two frames before (constant velocity), in 0.5 mm for positions and
//     1/8191 for quaternion components (below a pixel of any replay), a finger's values taken relative to the palm's.
//     Objects at rest cost nothing past their bit,
//   the last frame x bodies x 7 float32, exact.
// Little-endian throughout.

const VERSION = 2;
const FLAG_BOXES = 1;
const FLAG_PUSHER = 2;
const POSITION_UNIT = 2e3;
const QUATERNION_UNIT = 8191;
const GRIPPER_UNIT = 254;
const NO_GRIPPER = 255;
const BOX_UNIT = 4;
const NO_BOX = 0xffff;

const scaleOf = (component: number) => (component < 3 ? POSITION_UNIT : QUATERNION_UNIT);

/** Encodes one episode's motion as a length-prefixed record. */
export function encodeMotion(motion: EpisodeMotion): Uint8Array {
  const { steps, bodies } = motion;
  const out = new ByteWriter();
  out.u32(0); // the length, filled in at the end
  out.u8(VERSION);
  out.u8((motion.boxes ? FLAG_BOXES : 0) | (motion.hasPusher ? FLAG_PUSHER : 0));
  out.u8(motion.objects.length);
  out.u8(motion.target);
  out.u8(bodies);
  out.u16(steps);
  out.text(motion.unit);
  out.text(motion.objects.join(','));
  for (let t = 0; t < steps; t++) {
    const g = motion.gripper[t];
    out.u8(Number.isFinite(g) ? Math.round(Math.min(1, Math.max(0, g)) * GRIPPER_UNIT) : NO_GRIPPER);
  }
  if (motion.boxes) {
    for (const v of motion.boxes.subarray(0, steps * 4)) out.u16(Number.isFinite(v) ? Math.min(NO_BOX - 1, Math.max(0, Math.round(v * BOX_UNIT))) : NO_BOX);
  }
  const frame = bodies * POSE_STRIDE;
  const predictor = new Predictor(frame);
  const errors = new Int32Array(frame);
  const moved = new Uint8Array(Math.ceil(bodies / 8));
  const palm = motion.objects.length * POSE_STRIDE;
  const quantised = new Int32Array(frame);
  for (let t = 0; t < steps; t++) {
    moved.fill(0);
    for (let i = 0; i < frame; i++) {
      quantised[i] = Math.round(motion.poses[t * frame + i] * scaleOf(i % POSE_STRIDE));
      const q = quantised[i] - fingerBase(i, palm, quantised);
      errors[i] = q - predictor.predict(i);
      predictor.set(i, q);
      const body = Math.floor(i / POSE_STRIDE);
      if (errors[i] !== 0) moved[body >> 3] |= 1 << (body & 7);
    }
    for (const byte of moved) out.u8(byte);
    for (let body = 0; body < bodies; body++) {
      if (moved[body >> 3] & (1 << (body & 7))) for (let c = 0; c < POSE_STRIDE; c++) out.varint(zigzag(errors[body * POSE_STRIDE + c]));
    }
  }
  for (const v of motion.poses.subarray(steps * frame, (steps + 1) * frame)) out.f32(v);
  const bytes = out.bytes();
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, bytes.length - 4, true);
  return bytes;
}

/** The record of a row that has no recording (a crashed worker, a run with `--no-record`). */
export const EMPTY_RECORD = new Uint8Array(4);

/** Decodes a record `encodeMotion` made; null for an empty one. */
export function decodeMotion(record: Uint8Array): EpisodeMotion | null {
  const input = new ByteReader(record);
  const length = input.u32();
  if (length === 0) return null;
  if (length !== record.length - 4) throw new Error(`motion record: ${record.length - 4} bytes where its header says ${length}`);
  const version = input.u8();
  if (version !== VERSION) throw new Error(`motion record: version ${version}, this reader knows ${VERSION}`);
  const flags = input.u8();
  const objects = input.u8();
  const target = input.u8();
  const bodies = input.u8();
  const steps = input.u16();
  const unit = input.text();
  const names = input.text();
  const gripper = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    const g = input.u8();
    gripper[t] = g === NO_GRIPPER ? NaN : g / GRIPPER_UNIT;
  }
  let boxes: Float32Array | null = null;
  if (flags & FLAG_BOXES) {
    boxes = new Float32Array(steps * 4);
    for (let i = 0; i < boxes.length; i++) {
      const v = input.u16();
      boxes[i] = v === NO_BOX ? NaN : v / BOX_UNIT;
    }
  }
  const frame = bodies * POSE_STRIDE;
  const poses = new Float32Array((steps + 1) * frame);
  const predictor = new Predictor(frame);
  const moved = new Uint8Array(Math.ceil(bodies / 8));
  const palm = objects * POSE_STRIDE;
  const quantised = new Int32Array(frame);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < moved.length; b++) moved[b] = input.u8();
    for (let i = 0; i < frame; i++) {
      const body = Math.floor(i / POSE_STRIDE);
      const error = moved[body >> 3] & (1 << (body & 7)) ? unzigzag(input.varint()) : 0;
      const q = predictor.predict(i) + error;
      predictor.set(i, q);
      quantised[i] = q + fingerBase(i, palm, quantised);
      poses[t * frame + i] = quantised[i] / scaleOf(i % POSE_STRIDE);
    }
  }
  for (let i = 0; i < frame; i++) poses[steps * frame + i] = input.f32();
  return { unit, objects: names ? names.split(',') : [], target, bodies, hasPusher: (flags & FLAG_PUSHER) !== 0, steps, poses, gripper, boxes };
}

/**
 * Splits the bytes of a motion file into its records, in order. A torn record at the end (a crash
 * in the middle of a write) is left out.
 */
export function motionRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at + 4 <= file.length; ) {
    const end = at + 4 + view.getUint32(at, true);
    if (end > file.length) break;
    records.push(file.subarray(at, end));
    at = end;
  }
  return records;
}

/**
 * The fingers ride on the palm: each finger value is coded as its difference from the palm's same
 * value in the same frame (already coded: the palm comes first), which changes only as the hand
 * opens and turns. Other bodies are coded as they are.
 */
function fingerBase(i: number, palm: number, quantised: Int32Array): number {
  const isFinger = i >= palm + POSE_STRIDE && i < palm + 3 * POSE_STRIDE;
  return isFinger ? quantised[palm + (i % POSE_STRIDE)] : 0;
}

/** Each quantised value's next one predicted from its last two: the same in the encoder and the decoder. */
class Predictor {
  private readonly last: Int32Array;
  private readonly before: Int32Array;
  private readonly seen: Uint8Array;

  constructor(values: number) {
    this.last = new Int32Array(values);
    this.before = new Int32Array(values);
    this.seen = new Uint8Array(values);
  }

  predict(i: number): number {
    return this.seen[i] >= 2 ? 2 * this.last[i] - this.before[i] : this.last[i];
  }

  set(i: number, q: number): void {
    this.before[i] = this.last[i];
    this.last[i] = q;
    if (this.seen[i] < 2) this.seen[i]++;
  }
}

const zigzag = (n: number) => (n >= 0 ? 2 * n : -2 * n - 1);
const unzigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** A growable little-endian byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.buffer.length, this.at + n));
    bigger.set(this.buffer);
    this.buffer = bigger;
    this.view = new DataView(bigger.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buffer[this.at++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.at, v, true);
    this.at += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }

  f32(v: number): void {
    this.room(4);
    this.view.setFloat32(this.at, v, true);
    this.at += 4;
  }

  /** An unsigned integer in 7-bit groups, low first; arithmetic, not bit operations, so values past 2^31 stay right. */
  varint(v: number): void {
    while (v >= 0x80) {
      this.u8((v % 0x80) + 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }

  text(s: string): void {
    const bytes = new TextEncoder().encode(s);
    this.u16(bytes.length);
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.at);
  }
}

class ByteReader {
  private readonly view: DataView;
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): number {
    if (this.at + n > this.bytes.length) throw new Error('motion record: ends early');
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  f32(): number {
    return this.view.getFloat32(this.need(4), true);
  }

  varint(): number {
    let v = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const b = this.u8();
      v += (b % 0x80) * scale;
      if (b < 0x80) return v;
    }
  }

  text(): string {
    const n = this.u16();
    const at = this.need(n);
    return new TextDecoder().decode(this.bytes.subarray(at, at + n));
  }
}
