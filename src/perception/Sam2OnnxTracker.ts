import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { loadSam2Manifest, type Sam2Manifest, type Sam2Module } from '../config/index.js';
import { InputError } from '../core/index.js';
import type { SensorFrame } from '../render/index.js';
import type { OnnxSession, Tensors } from './OnnxSession.js';
import { boxProblem, boxWhere, type Box } from './Box.js';
import { checkSession, type TensorSpec } from './checkSession.js';
import { openSession } from './openSession.js';
import { isBlackedOut, maskDescriptor } from './maskDescriptor.js';
import type { PromptableTracker, TrackResult } from './PromptableTracker.js';

/** One memory bank entry: what the memory encoder and the decoder produced for a frame. */
interface MemoryEntry {
  features: ort.Tensor;
  posEnc: ort.Tensor | null;
  pointer: ort.Tensor;
}

/** SAM2's point labels: 2 and 3 are a box's top-left and bottom-right corners; -1 is padding. */
const BOX_LABELS = [2, 3];
const PADDING_LABEL = -1;
/** The dense mask prompt of the prompt frame: logits of "no object anywhere". */
const NO_MASK_LOGIT = -10;

/**
 * A learned promptable video tracker in SAM2's four-module split, through onnxruntime-node: the
 * harness's own (`learned`, assets/models/tracker) or the real SAM2 for users who bring exported
 * weights (none can be downloaded here). It runs the split of the common public exporters, wired
 * by a manifest (see Sam2Manifest): per frame, the image encoder; then memory attention over the
 * bank (skipped on the prompt frame); the image decoder, prompted with the box's two corners on the
 * first frame only; and the memory encoder, whose output joins the bank (the prompt frame is kept
 * for good, the recent frames roll). It reads the frame's RGB only.
 */
export class Sam2OnnxTracker implements PromptableTracker {
  /** The memory bank: the prompt frame's entry first (kept for good), then the recent frames', oldest first. */
  private readonly bank: MemoryEntry[] = [];
  private box: Box | null = null;
  private lastDescriptor: Float32Array | null = null;
  /** The last frame's mask logits: the next frame's dense mask prompt, for decoders that take one. */
  private lastLogits: ort.Tensor | null = null;
  // Buffers kept between frames: a step allocates little beyond what it returns and what the modules output.
  /** The image encoder's input (3 x imageSize^2 floats), null while a run reads it: an overlapping call (the shared foreground segmenter's) makes its own. */
  private spareImage: ort.Tensor | null = null;
  /** `upsampled`'s scratch, the largest corner logit of every cell: used and done with synchronously. */
  private peaks = new Float32Array(0);
  /** The memory bank's features, pointers and positional encodings, stacked for memory attention. */
  private readonly stacks = { features: new BankStack(), pointers: new BankStack(), posEnc: new BankStack() };

  private constructor(
    private readonly manifest: Sam2Manifest,
    private readonly sessions: Record<Sam2Module, OnnxSession>,
    /** `learned` for the harness's own tracker, `sam2:<name>` for any other export. */
    readonly name: string,
    /** Each channel's 256 byte values, ImageNet-normalised: made once at load, shared by every fresh tracker. */
    private readonly normalised: Float32Array[] = byteTables(manifest),
    /** Inputs that never change, made once at load and shared likewise (ONNX Runtime only reads its inputs). */
    private readonly fixed: FixedInputs = fixedInputs(manifest),
  ) {}

  /** Loads the four modules and checks their tensors against the manifest. */
  static async load(manifestPath: string): Promise<Sam2OnnxTracker> {
    const manifest = loadSam2Manifest(manifestPath);
    const s = manifest.imageSize;
    const image = manifest.modules.imageEncoder.inputs.image.shape;
    if (image.join() !== `1,3,${s},${s}`) {
      throw new InputError(manifestPath, `modules.imageEncoder.inputs.image: shape [${image.join(', ')}], but imageSize ${s} and RGB need [1, 3, ${s}, ${s}]`);
    }
    const { maskInput } = manifest.modules.imageDecoder.inputs;
    const { predMask } = manifest.modules.imageDecoder.outputs;
    if (maskInput && maskInput.shape.join() !== predMask.shape.join()) {
      throw new InputError(manifestPath, `modules.imageDecoder.inputs.maskInput: shape [${maskInput.shape.join(', ')}], but it takes the last predMask, [${predMask.shape.join(', ')}]`);
    }
    const sessions = {} as Record<Sam2Module, OnnxSession>;
    for (const [role, spec] of Object.entries(manifest.modules) as [Sam2Module, Sam2Manifest['modules'][Sam2Module]][]) {
      const file = resolve(dirname(manifestPath), spec.file);
      if (!existsSync(file)) throw new InputError(manifestPath, `modules.${role}.file: ${file} does not exist`);
      sessions[role] = await openSession(file);
      checkSession(sessions[role], file, specs(spec.inputs), specs(spec.outputs));
    }
    const name = manifest.name === 'learned' ? 'learned' : `sam2:${manifest.name ?? basename(manifestPath, '.json')}`;
    return new Sam2OnnxTracker(manifest, sessions, name);
  }

  /** A tracker with an empty memory that shares this one's loaded modules (sessions hold no state). */
  fresh(): Sam2OnnxTracker {
    return new Sam2OnnxTracker(this.manifest, this.sessions, this.name, this.normalised, this.fixed);
  }

  /** Its image encoder also segments every object in view (a `foreground` output). */
  get segmentsForeground(): boolean {
    return this.manifest.modules.imageEncoder.outputs.foreground !== undefined;
  }

  /** The class-agnostic foreground of a frame, from the image encoder alone (no memory involved). */
  async foreground(frame: SensorFrame): Promise<Uint8Array> {
    if (!this.segmentsForeground) throw new Error(`${this.name}: its image encoder has no foreground output`);
    // Only the foreground's nodes run: the memory path's outputs cost a fifth of the encoder.
    const image = await this.encodeImage(frame, ['foreground']);
    return this.upsampled(image.foreground, frame, this.foregroundThreshold, false).mask;
  }

  private get foregroundThreshold(): number {
    return this.manifest.foregroundThreshold ?? this.manifest.maskThreshold;
  }

  /** Frames in the memory bank now, the prompt frame included. */
  get memorySize(): number {
    return this.bank.length;
  }

  async init(frame: SensorFrame, box: Box): Promise<TrackResult> {
    const problem = boxProblem(box, frame.width, frame.height);
    if (problem) throw new InputError('prompt box', problem);
    this.bank.length = 0;
    this.box = box;
    this.lastDescriptor = null;
    this.lastLogits = null;
    return this.track(frame);
  }

  async track(frame: SensorFrame): Promise<TrackResult> {
    const m = this.manifest.modules;
    const image = await this.encodeImage(frame);
    const first = this.bank.length === 0;
    const imageEmbed = first ? image.pixFeat : (await this.run('memoryAttention', this.memoryInputs(image))).pixFeatWithMem;
    const decoded = await this.run('imageDecoder', {
      ...this.pointInputs(first, frame),
      imageEmbed,
      ...highResFeatures(m.imageDecoder.inputs, image),
      ...this.maskPrompt(first),
    });
    this.lastLogits = decoded.predMask;
    const memory = await this.run('memoryEncoder', { maskForMem: decoded.maskForMem, pixFeat: image.pixFeat });
    this.remember({ features: memory.maskmemFeatures, posEnc: memory.maskmemPosEnc ?? null, pointer: decoded.objectPointer });

    const { mask, score } = this.upsampled(decoded.predMask, frame, this.manifest.maskThreshold);
    const blind = isBlackedOut(frame);
    // On a blacked-out frame the colours and depths under the mask are gone: keep the last ones.
    const descriptor = maskDescriptor(frame, mask, score, blind);
    if (blind && this.lastDescriptor) descriptor.set(this.lastDescriptor.subarray(7, 11), 7);
    else this.lastDescriptor = descriptor;
    return {
      mask,
      box: boxWhere(frame.width, frame.height, (i) => mask[i] === 1),
      score,
      embedding: (decoded.objectPointer.data as Float32Array).slice(),
      descriptor,
      fromMemory: blind,
      foreground: image.foreground ? this.upsampled(image.foreground, frame, this.foregroundThreshold, false).mask : undefined,
    };
  }

  /** Runs a module with inputs given by role; returns its outputs by role (all, or the roles `only` names). */
  private async run(module: Sam2Module, inputs: Tensors, only?: readonly string[]): Promise<Tensors> {
    const spec = this.manifest.modules[module] as { inputs: Record<string, TensorSpec | undefined>; outputs: Record<string, TensorSpec | undefined> };
    const feeds: Tensors = {};
    for (const [role, tensor] of Object.entries(inputs)) {
      const name = spec.inputs[role]?.name;
      if (name) feeds[name] = tensor;
    }
    const out = await this.sessions[module].run(feeds, only?.map((role) => spec.outputs[role]!.name));
    const byRole: Tensors = {};
    for (const [role, t] of Object.entries(spec.outputs)) if (t && out[t.name]) byRole[role] = out[t.name];
    return byRole;
  }

  /** Runs the image encoder on a frame, through the kept input buffer when it is free. */
  private async encodeImage(frame: SensorFrame, only?: readonly string[]): Promise<Tensors> {
    const s = this.manifest.imageSize;
    const image = this.spareImage ?? new ort.Tensor('float32', new Float32Array(3 * s * s), [1, 3, s, s]);
    this.spareImage = null;
    try {
      this.preprocess(frame, image.data as Float32Array);
      return await this.run('imageEncoder', { image }, only);
    } finally {
      this.spareImage = image;
    }
  }

  private memoryInputs(image: Tensors): Tensors {
    const bank = this.bank;
    const inputs: Tensors = {
      currentFeat: image.visionFeat ?? image.pixFeat,
      memory: this.stacks.features.stack(bank, featuresOf),
      objectPointers: this.stacks.pointers.stack(bank, pointerOf),
    };
    if (image.visionPosEmbed) inputs.currentPosEmbed = image.visionPosEmbed;
    if (bank.every(hasPosEnc)) inputs.memoryPosEmbed = this.stacks.posEnc.stack(bank, posEncOf);
    return inputs;
  }

  /** The box's corners on the prompt frame, scaled to the encoder's image; padding points after. */
  private pointInputs(first: boolean, frame: SensorFrame): Tensors {
    if (!first) return this.fixed.noPoints;
    const s = this.manifest.imageSize;
    const b = this.box!;
    const coords = [(b.x0 / frame.width) * s, (b.y0 / frame.height) * s, (b.x1 / frame.width) * s, (b.y1 / frame.height) * s];
    return {
      pointCoords: new ort.Tensor('float32', Float32Array.from(coords), [1, 2, 2]),
      pointLabels: new ort.Tensor('float32', Float32Array.from(BOX_LABELS), [1, 2]),
    };
  }

  /** SAM's dense mask prompt: the last frame's logits, or "nothing" (-10, flagged absent) on the prompt frame. */
  private maskPrompt(first: boolean): Tensors {
    const { noMask, hasMask } = this.fixed;
    if (!noMask) return {};
    const given = !first && this.lastLogits !== null;
    const maskInput = given ? this.lastLogits! : noMask;
    return hasMask ? { maskInput, hasMaskInput: hasMask[given ? 1 : 0] } : { maskInput };
  }

  /** Adds a frame's entry to the bank: the prompt frame's stays; past memoryFrames recent ones, the oldest rolls out. */
  private remember(entry: MemoryEntry): void {
    this.bank.push(entry);
    if (this.bank.length > 1 + this.manifest.memoryFrames) {
      this.bank.copyWithin(1, 2);
      this.bank.pop();
    }
  }

  /** The largest of the four logits (cell, right, below, below right; clamped at the edges) at every cell, into a kept buffer; and the largest absolute logit, the scale of the interpolation's rounding. */
  private cellPeaks(data: Float32Array, h: number, w: number): { peaks: Float32Array; largest: number } {
    if (this.peaks.length !== h * w) this.peaks = new Float32Array(h * w);
    const peaks = this.peaks;
    let largest = 0;
    for (let y = 0; y < h; y++) {
      const below = Math.min(h - 1, y + 1) * w;
      for (let x = 0; x < w; x++) {
        const right = Math.min(w - 1, x + 1);
        peaks[y * w + x] = Math.max(data[y * w + x], data[y * w + right], data[below + x], data[below + right]);
        largest = Math.max(largest, Math.abs(data[y * w + x]));
      }
    }
    return { peaks, largest };
  }

  /** Bilinear resize to the encoder's square size, then ImageNet normalisation, NCHW, into `out` (3 x imageSize^2). */
  private preprocess(frame: SensorFrame, out: Float32Array): void {
    const s = this.manifest.imageSize;
    if (frame.width === s && frame.height === s) return this.normalisedAsIs(frame, out);
    const rows = sampleGrid(frame.height, s);
    const cols = sampleGrid(frame.width, s);
    const rgb = frame.rgb;
    const w = frame.width;
    for (let c = 0; c < 3; c++) {
      // Normalisation is affine, so it commutes with the interpolation: normalise bytes by table.
      const table = this.normalised[c];
      const plane = c * s * s;
      for (let v = 0; v < s; v++) {
        const { i0: y0, i1: y1, t: ty } = rows.cells[v];
        for (let u = 0; u < s; u++) {
          const { i0: x0, i1: x1, t: tx } = cols.cells[u];
          const top = table[rgb[3 * (y0 * w + x0) + c]] * (1 - tx) + table[rgb[3 * (y0 * w + x1) + c]] * tx;
          const bottom = table[rgb[3 * (y1 * w + x0) + c]] * (1 - tx) + table[rgb[3 * (y1 * w + x1) + c]] * tx;
          out[plane + v * s + u] = top * (1 - ty) + bottom * ty;
        }
      }
    }
  }

  /** The frame at the encoder's own size: normalised, reordered to NCHW, nothing to interpolate. */
  private normalisedAsIs(frame: SensorFrame, out: Float32Array): void {
    const n = frame.width * frame.height;
    const [r, g, b] = this.normalised;
    const rgb = frame.rgb;
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[i] = r[rgb[j]];
      out[n + i] = g[rgb[j + 1]];
      out[2 * n + i] = b[rgb[j + 2]];
    }
  }

  /**
   * Mask logits (their last two dims) upsampled bilinearly to the frame (pixel centres aligned, as
   * PyTorch's `align_corners=False`) and thresholded; with `scored`, the score is the mean
   * probability inside (the foreground needs none, and is spared an exponential per pixel).
   */
  private upsampled(logits: ort.Tensor, frame: SensorFrame, threshold: number, scored = true): { mask: Uint8Array; score: number } {
    const dims = logits.dims;
    const h = dims[dims.length - 2];
    const w = dims[dims.length - 1];
    const data = logits.data as Float32Array;
    const mask = new Uint8Array(frame.width * frame.height);
    const rows = sampleGrid(h, frame.height);
    const cols = sampleGrid(w, frame.width);
    const { peaks, largest } = this.cellPeaks(data, h, w);
    // A convex combination cannot exceed its largest corner but for rounding, a few 1e-16 of the
    // largest logit: a pixel whose four corners are all below this is below the threshold, and
    // is left uncomputed.
    const clearlyBelow = threshold - 1e-9 - 1e-13 * largest;
    let sum = 0;
    let n = 0;
    for (let y = 0; y < frame.height; y++) {
      const { i0: y0, i1: y1, t: ty } = rows.cells[y];
      // Pixels in raster order still (the score's sum keeps its order), a column run at a time.
      for (const run of cols.runs) {
        if (peaks[y0 * w + run.i0] < clearlyBelow) continue;
        for (let x = run.from; x < run.to; x++) {
          const { i0: x0, i1: x1, t: tx } = cols.cells[x];
          const top = data[y0 * w + x0] * (1 - tx) + data[y0 * w + x1] * tx;
          const bottom = data[y1 * w + x0] * (1 - tx) + data[y1 * w + x1] * tx;
          const logit = top * (1 - ty) + bottom * ty;
          if (logit > threshold) {
            mask[y * frame.width + x] = 1;
            if (scored) sum += 1 / (1 + Math.exp(-logit));
            n++;
          }
        }
      }
    }
    return { mask, score: n ? sum / n : 0 };
  }
}

/** Each channel's 256 byte values, ImageNet-normalised: normalisation as a table lookup. */
function byteTables(manifest: Sam2Manifest): Float32Array[] {
  return [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, b) => (b / 255 - manifest.mean[c]) / manifest.std[c]));
}

/**
 * For each of `size` output pixels, the two source cells and the weight of the second; and the
 * runs of output pixels that share their first source cell, in order.
 */
interface SampleGrid {
  cells: { i0: number; i1: number; t: number }[];
  runs: { i0: number; from: number; to: number }[];
}
/** Grids already computed, by `source x size`: a run meets one or two, every frame. */
const grids = new Map<string, SampleGrid>();

/** The sample grid of `size` output pixels over `source` cells (align_corners=False), made once. */
function sampleGrid(source: number, size: number): SampleGrid {
  const id = `${source}x${size}`;
  let grid = grids.get(id);
  if (!grid) {
    const cells = Array.from({ length: size }, (_, i) => {
      const f = Math.max(0, ((i + 0.5) * source) / size - 0.5);
      const i0 = Math.min(source - 1, Math.floor(f));
      return { i0, i1: Math.min(source - 1, i0 + 1), t: f - i0 };
    });
    const runs: SampleGrid['runs'] = [];
    cells.forEach(({ i0 }, i) => {
      const last = runs[runs.length - 1];
      if (last?.i0 === i0) last.to = i + 1;
      else runs.push({ i0, from: i, to: i + 1 });
    });
    grid = { cells, runs };
    grids.set(id, grid);
  }
  return grid;
}

/** The encoder's high-resolution features that the decoder takes (SAM2's two, and our full-resolution one). */
function highResFeatures(decoderInputs: Sam2Manifest['modules']['imageDecoder']['inputs'], image: Tensors): Tensors {
  const out: Tensors = {};
  for (const role of ['highRes0', 'highRes1', 'highResFull'] as const) {
    if (decoderInputs[role] && image[role]) out[role] = image[role];
  }
  return out;
}

function specs(record: Record<string, TensorSpec | undefined>): TensorSpec[] {
  return Object.values(record).filter((t): t is TensorSpec => t !== undefined);
}

/** Input tensors that never change. */
interface FixedInputs {
  /** The decoder's point prompt after the prompt frame: two padding points. */
  noPoints: Tensors;
  /** The dense mask prompt of the prompt frame, "no object anywhere"; null if the decoder takes none. */
  noMask: ort.Tensor | null;
  /** The `hasMaskInput` flag's two values (0, 1); null if the decoder takes no such flag. */
  hasMask: [ort.Tensor, ort.Tensor] | null;
}

function fixedInputs(manifest: Sam2Manifest): FixedInputs {
  const spec = manifest.modules.imageDecoder.inputs;
  const shape = spec.maskInput?.shape.map((d) => (typeof d === 'number' ? d : 1));
  const flag = (v: number) => new ort.Tensor('float32', Float32Array.of(v), [1]);
  return {
    noPoints: {
      pointCoords: new ort.Tensor('float32', new Float32Array(4), [1, 2, 2]),
      pointLabels: new ort.Tensor('float32', Float32Array.of(PADDING_LABEL, PADDING_LABEL), [1, 2]),
    },
    noMask: shape ? new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(NO_MASK_LOGIT), shape) : null,
    hasMask: shape && spec.hasMaskInput ? [flag(0), flag(1)] : null,
  };
}

/** The parts of a bank entry, as module-level functions so that stacking makes no closure. */
const featuresOf = (e: MemoryEntry) => e.features;
const pointerOf = (e: MemoryEntry) => e.pointer;
const posEncOf = (e: MemoryEntry) => e.posEnc!;
const hasPosEnc = (e: MemoryEntry) => e.posEnc !== null;

/**
 * One part of the memory bank's entries concatenated along axis 0, into a tensor kept per bank
 * size: the bank is restacked every frame, from at most memoryFrames + 1 entries whose shapes do
 * not change. A tensor is only reused for the same shape.
 */
class BankStack {
  private readonly bySize: (ort.Tensor | undefined)[] = [];

  stack(bank: readonly MemoryEntry[], part: (e: MemoryEntry) => ort.Tensor): ort.Tensor {
    let rows = 0;
    let size = 0;
    for (const e of bank) {
      rows += part(e).dims[0];
      size += part(e).size;
    }
    const like = part(bank[0]).dims;
    let out = this.bySize[bank.length];
    if (!out || out.size !== size || !stackedShape(out.dims, rows, like)) {
      out = new ort.Tensor('float32', new Float32Array(size), [rows, ...like.slice(1)]);
      this.bySize[bank.length] = out;
    }
    const data = out.data as Float32Array;
    let offset = 0;
    for (const e of bank) {
      data.set(part(e).data as Float32Array, offset);
      offset += part(e).size;
    }
    return out;
  }
}

/** Are `dims` those of `rows` tensors shaped `like` stacked along axis 0? */
function stackedShape(dims: readonly number[], rows: number, like: readonly number[]): boolean {
  if (dims.length !== like.length || dims[0] !== rows) return false;
  for (let j = 1; j < dims.length; j++) if (dims[j] !== like[j]) return false;
  return true;
}
