import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { Rng } from '../core/index.js';
import { runFor, type OnnxSession, type Tensors } from './OnnxSession.js';

const { onnx } = onnxProto;

interface Request {
  feeds: Tensors;
  outputs: readonly string[] | undefined;
  resolve(out: Tensors): void;
  reject(err: unknown): void;
}

/**
 * One model shared by the episodes a worker steps together: the `run` calls made in the same turn
 * of the event loop (B episodes in lockstep, each waiting for this model) go to ONNX Runtime as
 * one call of n rows, and each caller gets its own row back. The n-row call runs a twin of the
 * model made for n rows (`withBatchAxis`), used only if it passed `rowsIndependent`: its rows are
 * the same bits as each row alone through the shipped model, so results never depend on how many
 * episodes shared a call. A lone caller, or a model with no working twin, runs the shipped model.
 */
export class BatchingSession implements OnnxSession {
  private queue: Request[] = [];
  /** ONNX Runtime calls made and the rows they carried: rows / calls is the batch reached. */
  readonly counts = { calls: 0, rows: 0 };
  /** The twins made so far, by rows; null: that twin cannot be used. */
  private readonly twins = new Map<number, Promise<ort.InferenceSession | null>>();
  /** Concatenation buffers by input and rows, free between calls (a call in flight holds its own). */
  private readonly spare = new Map<string, Float32Array[]>();

  constructor(
    private readonly single: ort.InferenceSession,
    /** The model file's bytes, to make twins from. */
    private readonly bytes: Uint8Array,
    /** The options the shipped model was opened with: its twins get the same. */
    private readonly options: ort.InferenceSession.SessionOptions,
  ) {}

  get inputNames() {
    return this.single.inputNames;
  }
  get outputNames() {
    return this.single.outputNames;
  }
  get inputMetadata() {
    return this.single.inputMetadata;
  }
  get outputMetadata() {
    return this.single.outputMetadata;
  }

  run(feeds: Tensors, outputs?: readonly string[]): Promise<Tensors> {
    return new Promise((resolve, reject) => {
      this.queue.push({ feeds, outputs, resolve, reject });
      // After the microtasks of this turn: every episode that can reach this model by then has.
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  /** The twin for `rows` rows, made and checked on first use; null if it fails. */
  twin(rows: number): Promise<ort.InferenceSession | null> {
    let twin = this.twins.get(rows);
    if (!twin) {
      const bytes = withBatchAxis(this.bytes, rows);
      twin = bytes ? this.checkedTwin(bytes, rows) : Promise.resolve(null);
      this.twins.set(rows, twin);
    }
    return twin;
  }

  private async checkedTwin(bytes: Uint8Array, rows: number): Promise<ort.InferenceSession | null> {
    // Quiet: a twin that ONNX Runtime refuses (act-cvae's fixed latent row) is expected, not an error to print.
    const twin = await ort.InferenceSession.create(bytes, { ...this.options, logSeverityLevel: 4 }).catch(() => null);
    return twin && (await rowsIndependent(this.single, twin, rows)) ? twin : null;
  }

  /**
   * Runs the waiting calls in parts of 2^k rows, the largest first (7 calls: 4, 2, 1), so a
   * thread makes at most log2(B) twins of a model, each checked once. The parts, and the lone
   * calls of a model with no twin, are all started at once: their callers resume in the same turn
   * and meet again at the next model, in step.
   */
  private async flush(): Promise<void> {
    const byOutputs = new Map<string, Request[]>();
    const misfits: Request[] = [];
    for (const r of this.queue) {
      if (!this.fits(r.feeds)) {
        misfits.push(r);
        continue;
      }
      const id = r.outputs?.join() ?? '';
      const group = byOutputs.get(id);
      if (group) group.push(r);
      else byOutputs.set(id, [r]);
    }
    this.queue = [];
    // A call whose tensors are not the model's shapes runs alone, and fails alone, as unbatched.
    const parts: Promise<void>[] = [this.runAlone(misfits)];
    for (const requests of byOutputs.values()) {
      for (let start = 0; start < requests.length; ) {
        const rows = 2 ** Math.floor(Math.log2(requests.length - start));
        parts.push(this.runPart(requests.slice(start, start + rows)));
        start += rows;
      }
    }
    await Promise.all(parts);
  }

  private async runPart(requests: Request[]): Promise<void> {
    const twin = requests.length > 1 ? await this.twin(requests.length) : null;
    this.counts.calls += twin ? 1 : requests.length;
    this.counts.rows += requests.length;
    if (!twin) return this.runAlone(requests);
    const buffers: [string, Float32Array][] = [];
    try {
      const feeds: Tensors = {};
      for (const name of this.single.inputNames) {
        const data = this.take(`${name}|${requests.length}`, buffers, requests[0].feeds[name].size * requests.length);
        feeds[name] = stacked(requests.map((r) => r.feeds[name]), data);
      }
      const out = await runFor(twin, feeds, requests[0].outputs);
      requests.forEach((r, i) => r.resolve(rowOf(out, i)));
    } catch {
      // Whatever failed the batch, each call gets what it would have got alone.
      await this.runAlone(requests);
    } finally {
      for (const [id, data] of buffers) this.spare.get(id)!.push(data);
    }
  }

  /** Are these feeds, tensor by tensor, float32 and of the shapes the model declares? */
  private fits(feeds: Tensors): boolean {
    return this.single.inputMetadata.every((meta) => {
      const t = feeds[meta.name];
      return meta.isTensor && t?.type === 'float32' && t.dims.length === meta.shape.length && t.dims.every((d, i) => d === meta.shape[i]);
    });
  }

  private async runAlone(requests: Request[]): Promise<void> {
    await Promise.all(requests.map(({ feeds, outputs, resolve, reject }) => runFor(this.single, feeds, outputs).then(resolve, reject)));
  }

  private take(id: string, taken: [string, Float32Array][], size: number): Float32Array {
    let free = this.spare.get(id);
    if (!free) this.spare.set(id, (free = []));
    const data = free.pop() ?? new Float32Array(size);
    taken.push([id, data]);
    return data;
  }
}

/** One-row tensors stacked along their first axis into `data`. */
function stacked(rows: readonly ort.Tensor[], data: Float32Array = new Float32Array(rows.length * rows[0].size)): ort.Tensor {
  rows.forEach((t, i) => data.set(t.data as Float32Array, i * t.size));
  return new ort.Tensor('float32', data, [rows.length, ...rows[0].dims.slice(1)]);
}

/**
 * Row `i` of every output, as a view: a copy per row doubled what a batched step allocates, and
 * what a caller keeps (a tracker's memory bank) holds its batch's output, a few rows of a small
 * tensor, for the frames it keeps it.
 */
function rowOf(out: Tensors, i: number): Tensors {
  const rows: Tensors = {};
  for (const [name, t] of Object.entries(out)) {
    const size = t.size / t.dims[0];
    rows[name] = new ort.Tensor('float32', (t.data as Float32Array).subarray(i * size, (i + 1) * size), [1, ...t.dims.slice(1)]);
  }
  return rows;
}

/**
 * The model made for `rows` rows: every input and output led by `rows` instead of 1, and every
 * Reshape's constant target shape led by 0 ("as the input") instead of 1. The shapes stay fixed,
 * so ONNX Runtime optimises the twin as it does the shipped model (with a symbolic batch it keeps
 * some nodes out of its fused layouts, and their rows come out with other bits). Null when the
 * model has no batch to open: an input or output not float32 or not led by a fixed 1 (SAM2's
 * memory bank is led by its size). Intermediate shape annotations go: they carry the fixed 1 too.
 */
export function withBatchAxis(bytes: Uint8Array, rows: number): Uint8Array | null {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) return null;
  const values = [...(graph.input ?? []), ...(graph.output ?? [])];
  for (const v of values) {
    const tensor = v.type?.tensorType;
    const first = tensor?.shape?.dim?.[0];
    if (tensor?.elemType !== onnx.TensorProto.DataType.FLOAT || !first || first.dimParam || Number(first.dimValue) !== 1) return null;
  }
  for (const v of values) v.type!.tensorType!.shape!.dim![0] = { dimValue: rows };
  graph.valueInfo = [];
  for (const shape of reshapeTargets(graph)) leadWithZero(shape);
  return onnx.ModelProto.encode(model).finish();
}

/** A target shape [1, ...] becomes [0, ...], whether its values are stored as numbers or as raw little-endian bytes. */
function leadWithZero(shape: onnxProto.onnx.ITensorProto): void {
  if (shape.dataType !== onnx.TensorProto.DataType.INT64) return;
  if (shape.rawData?.length) {
    // A copy: decoding leaves raw bytes as views of the file's buffer.
    shape.rawData = Uint8Array.from(shape.rawData);
    const raw = new DataView(shape.rawData.buffer);
    if (raw.getBigInt64(0, true) === 1n) raw.setBigInt64(0, 0n, true);
  } else if (shape.int64Data?.length && Number(shape.int64Data[0]) === 1) {
    shape.int64Data[0] = 0;
  }
}

/** The constant tensors that only ever serve as a Reshape's target shape (initialisers or Constant nodes), writable. */
function reshapeTargets(graph: onnxProto.onnx.IGraphProto): onnxProto.onnx.ITensorProto[] {
  const nodes = graph.node ?? [];
  const onlyShapes = (name: string) => nodes.every((n) => !(n.input ?? []).includes(name) || (n.opType === 'Reshape' && n.input!.indexOf(name) === 1 && !(n.attribute ?? []).some((a) => a.name === 'allowzero' && Number(a.i) === 1)));
  const used = new Set(nodes.filter((n) => n.opType === 'Reshape').map((n) => n.input![1]));
  const targets: onnxProto.onnx.ITensorProto[] = [];
  for (const t of graph.initializer ?? []) if (used.has(t.name!) && onlyShapes(t.name!)) targets.push(t);
  for (const n of nodes) {
    const value = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (value && used.has(n.output![0]) && onlyShapes(n.output![0])) targets.push(value);
  }
  return targets;
}

/**
 * ONNX Runtime may compute a row differently in a batch (another kernel for one row than for
 * many): `rows` seeded rows are run alone through the shipped model and together through the
 * twin; any bit of difference, or an error, and the twin is not used.
 */
export async function rowsIndependent(single: ort.InferenceSession, twin: ort.InferenceSession, rows: number): Promise<boolean> {
  const inputs = Array.from({ length: rows }, (_, row) => {
    const feeds: Tensors = {};
    for (const meta of single.inputMetadata) {
      const shape = (meta.isTensor ? meta.shape : []) as number[];
      feeds[meta.name] = new ort.Tensor('float32', probeValues(shape.reduce((a, b) => a * b, 1), `${meta.name}/${row}`), shape);
    }
    return feeds;
  });
  try {
    const out = await twin.run(Object.fromEntries(single.inputNames.map((name) => [name, stacked(inputs.map((r) => r[name]))])));
    for (const [i, feeds] of inputs.entries()) if (!sameBits(rowOf(out, i), await single.run(feeds))) return false;
    return true;
  } catch {
    return false;
  }
}

/** Seeded values in [-2, 2), by xorshift: a probe fills a few hundred thousand, a normal draw each was a visible cost at start. */
function probeValues(length: number, seed: string): Float32Array {
  let x = new Rng(seed).int(1, 2 ** 31);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) / 2 ** 32) * 4 - 2;
  }
  return out;
}

function sameBits(a: Tensors, b: Tensors): boolean {
  for (const [name, t] of Object.entries(b)) {
    const x = new Uint32Array((a[name]?.data as Float32Array | undefined)?.slice().buffer ?? new ArrayBuffer(0));
    const y = new Uint32Array((t.data as Float32Array).slice().buffer);
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}
