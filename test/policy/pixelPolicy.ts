import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../../src/perception/index.js';

export const HOVER_HEIGHT = 0.15;

/**
 * A pixels-in policy written as an ONNX graph: it finds the coloured pixels of the scene image
 * (saturation above 0.3: the cubes, not the table, the bin or the hand), takes their centroid and
 * mean depth, lifts that pixel into the world with the intrinsics and extrinsics the contract
 * gives, and hovers above it. It reads four roles and no feature of ours, so it lands on the cube
 * only if every one of them means what the README says.
 */
export function writePixelPolicy(dir: string, width: number, height: number, chunk = 3): string {
  const n = width * height;
  const g = new OnnxGraphBuilder('pixels');
  const image = g.input('image', [1, 3, height, width]);
  const depth = g.input('depth', [1, 1, height, width]);
  const k = g.input('intrinsics', [1, 4]);
  const pose = g.input('camera_to_world', [1, 4, 4]);
  const saturation = g.node('Sub', [g.node('ReduceMax', [image], { axes: [1], keepdims: 0 }), g.node('ReduceMin', [image], { axes: [1], keepdims: 0 })]);
  const mask = g.node('Reshape', [g.node('Cast', [g.node('Greater', [saturation, g.weight('threshold', [1], [0.3])])], { to: 1 }), g.ints('flat', [1, n])]);
  // Per pixel: 1, its centre's u and v (pixel (u, v) is centred at (u + 0.5, v + 0.5)).
  const grid = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) grid.set([1, (i % width) + 0.5, Math.floor(i / width) + 0.5], 3 * i);
  const sums = g.node('MatMul', [mask, g.weight('grid', [n, 3], grid)]);
  const depthSum = g.node('MatMul', [g.node('Mul', [mask, g.node('Reshape', [depth, g.ints('flat_depth', [1, n])])]), g.weight('ones', [n, 1], new Float32Array(n).fill(1))]);
  const column = (t: string, i: number, name: string) => g.node('Gather', [t, g.ints(name, [i])], { axis: 1 });
  const count = column(sums, 0, 'i_count');
  const u = g.node('Div', [column(sums, 1, 'i_u'), count]);
  const v = g.node('Div', [column(sums, 2, 'i_v'), count]);
  const d = g.node('Div', [depthSum, count]);
  const [fx, fy, cx, cy] = ['fx', 'fy', 'cx', 'cy'].map((name, i) => column(k, i, `i_${name}`));
  // Camera frame as in OpenGL: x right, y up, looking along -z.
  const xc = g.node('Mul', [g.node('Div', [g.node('Sub', [u, cx]), fx]), d]);
  const yc = g.node('Neg', [g.node('Mul', [g.node('Div', [g.node('Sub', [v, cy]), fy]), d])]);
  const point = g.node('Concat', [xc, yc, g.node('Neg', [d]), g.weight('w1', [1, 1], [1])], { axis: 1 });
  const world = g.node('MatMul', [g.node('Reshape', [pose, g.ints('square', [4, 4])]), g.node('Transpose', [point])]);
  const xy = g.node('Reshape', [g.node('Slice', [world, g.ints('s0', [0]), g.ints('s2', [2])]), g.ints('row', [1, 2])]);
  const action = g.node('Concat', [xy, g.weight('rest', [1, 3], [HOVER_HEIGHT, 0, 0])], { axis: 1 });
  g.node('Add', [g.node('Reshape', [action, g.ints('one', [1, 1, 5])]), g.weight('zeros', [1, chunk, 5], new Float32Array(chunk * 5))], {}, ['actions']);
  g.output('actions', [1, chunk, 5]);
  writeFileSync(join(dir, 'pixels.onnx'), g.build());
  const identity = (length: number) => ({ mean: new Array(length).fill(0), std: new Array(length).fill(1) });
  const manifest = {
    name: 'pixels',
    file: 'pixels.onnx',
    inputs: {
      'observation.images.scene': { name: 'image', shape: [1, 3, height, width], dtype: 'float32' },
      'observation.depth.scene': { name: 'depth', shape: [1, 1, height, width] },
      'observation.intrinsics.scene': { name: 'intrinsics', shape: [1, 4] },
      'observation.extrinsics.scene': { name: 'camera_to_world', shape: [1, 4, 4] },
    },
    output: { name: 'actions', shape: [1, chunk, 5] },
    proprioNorm: identity(7),
    actionNorm: identity(5),
    chunkSize: chunk,
    controlHz: 10,
    description: 'hovers above the coloured pixels of the scene camera (a test of the pixels-in contract)',
  };
  const path = join(dir, 'pixels.json');
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
