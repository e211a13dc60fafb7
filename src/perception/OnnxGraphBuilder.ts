import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;
type Attribute = number | number[] | string;

/**
 * Builds ONNX graphs (opset 17) in TypeScript with onnx-proto: named inputs and outputs, float
 * initialisers, nodes with attributes. The serialised bytes depend only on what was added, in
 * order, so a seeded build writes the same file every time.
 */
export class OnnxGraphBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, dims: Dim[], type: 'float' | 'double' = 'float'): string {
    this.inputs.push(valueInfo(name, dims, type === 'float' ? FLOAT : onnx.TensorProto.DataType.DOUBLE));
    return name;
  }

  output(name: string, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, dims));
    return name;
  }

  private claim(name: string): void {
    if (this.initializers.some((t) => t.name === name)) throw new Error(`${this.name}: initializer "${name}" defined twice`);
  }

  /** A float32 constant tensor. */
  weight(name: string, dims: number[], values: ArrayLike<number>): string {
    this.claim(name);
    if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${name}: ${values.length} values for shape ${dims}`);
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) }));
    return name;
  }

  /** An int64 constant tensor (shapes, axes). */
  ints(name: string, values: number[]): string {
    this.claim(name);
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) }));
    return name;
  }

  /** Adds a node; returns its (first) output name, generated unless given. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, outputs?: string[]): string {
    const out = outputs ?? [`${opType.toLowerCase()}_${this.counter++}`];
    const attribute = Object.entries(attributes).map(([name, value]) => attributeProto(name, value));
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: out, attribute, name: out[0] }));
    return out[0];
  }

  /** The serialised model. */
  build(): Uint8Array {
    const graph = onnx.GraphProto.create({ name: this.name, input: this.inputs, output: this.outputs, initializer: this.initializers, node: this.nodes });
    const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'sam2grasp-bench', graph });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: Dim[], elemType: number = FLOAT): onnxProto.onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
}

function attributeProto(name: string, value: Attribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
}
