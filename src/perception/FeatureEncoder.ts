import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { loadEncoderManifest, type EncoderManifest } from '../config/index.js';
import { InputError } from '../core/index.js';
import type { SensorFrame } from '../render/index.js';
import type { OnnxSession } from './OnnxSession.js';
import { checkSession } from './checkSession.js';
import { openSession } from './openSession.js';

/** A colour byte as the encoder takes it, b / 255 - 0.5: a lookup instead of a division per channel and pixel. */
const CENTRED_BYTES = Float64Array.from({ length: 256 }, (_, b) => b / 255 - 0.5);

/**
 * The frozen feature encoder, run through onnxruntime-node: an RGB-D frame plus a mask channel in,
 * a fixed-length feature vector that keeps the spatial grid out. Frames of another size are
 * resampled (nearest pixel) to the encoder's input size.
 */
export class FeatureEncoder {
  private readonly input: Float32Array;
  private readonly size: [number, number];
  /** The frame's pixel under each input pixel (nearest), for the last frame size met: the same every step. */
  private sources = { width: 0, height: 0, index: new Int32Array(0) };

  private constructor(
    private readonly session: OnnxSession,
    readonly manifest: EncoderManifest,
  ) {
    const [, , h, w] = manifest.input.shape;
    this.size = [h, w];
    this.input = new Float32Array(manifest.input.shape.reduce((a, b) => a * b, 1));
  }

  /** Loads and checks an encoder: its file exists and its tensors match the manifest. */
  static async load(manifestPath: string): Promise<FeatureEncoder> {
    const manifest = loadEncoderManifest(manifestPath);
    if (manifest.input.shape.length !== 4 || manifest.input.shape[1] !== manifest.channels.length) {
      throw new InputError(manifestPath, `input.shape must be [1, ${manifest.channels.length}, H, W] for channels ${manifest.channels.join(', ')}`);
    }
    const file = resolve(dirname(manifestPath), manifest.file);
    if (!existsSync(file)) throw new InputError(manifestPath, `file: ${file} does not exist`);
    const session = await openSession(file);
    checkSession(session, file, [manifest.input], [manifest.output]);
    return new FeatureEncoder(session, manifest);
  }

  /** Length of the feature vector. */
  get length(): number {
    return this.manifest.output.shape.reduce((a, b) => a * b, 1);
  }

  /** Fails with one line when a consumer (a policy) expects features of another length. */
  expectLength(expected: number, who: string): void {
    if (expected !== this.length) {
      throw new InputError(who, `expects ${expected} encoder features, but the encoder (${this.manifest.file}) gives ${this.length}`);
    }
  }

  /** Features of a frame, with an optional mask channel (zeros without one). */
  async encode(frame: SensorFrame, mask: Uint8Array | null = null): Promise<Float32Array> {
    this.fill(frame, mask);
    const tensor = new ort.Tensor('float32', this.input, this.manifest.input.shape);
    const out = await this.session.run({ [this.manifest.input.name]: tensor });
    return (out[this.manifest.output.name].data as Float32Array).slice();
  }

  private sourceIndex(frame: SensorFrame): Int32Array {
    const cached = this.sources;
    if (cached.width === frame.width && cached.height === frame.height) return cached.index;
    const [h, w] = this.size;
    const index = new Int32Array(h * w);
    for (let v = 0; v < h; v++) {
      const sv = Math.floor(((v + 0.5) * frame.height) / h);
      for (let u = 0; u < w; u++) index[v * w + u] = sv * frame.width + Math.floor(((u + 0.5) * frame.width) / w);
    }
    this.sources = { width: frame.width, height: frame.height, index };
    return index;
  }

  private fill(frame: SensorFrame, mask: Uint8Array | null): void {
    const index = this.sourceIndex(frame);
    const plane = index.length;
    const maxDepth = this.manifest.maxDepth;
    const { rgb, depth } = frame;
    const x = this.input;
    for (let p = 0; p < plane; p++) {
      const s = index[p];
      x[p] = CENTRED_BYTES[rgb[3 * s]];
      x[plane + p] = CENTRED_BYTES[rgb[3 * s + 1]];
      x[2 * plane + p] = CENTRED_BYTES[rgb[3 * s + 2]];
      const d = depth[s];
      x[3 * plane + p] = Number.isFinite(d) ? Math.min(d, maxDepth) / maxDepth : 1;
      x[4 * plane + p] = mask ? mask[s] : 0;
    }
  }
}
