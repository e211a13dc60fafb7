import type { SchemaElement } from 'hyparquet-writer';

/**
 * The features of an exported LeRobot dataset (codebase v2.1), as `meta/info.json` lists them:
 * per feature its dtype, shape and names. One place decides, for each feature, its Parquet
 * column (`parquetSchema`) and its Hugging Face `datasets` type (`huggingFaceFeatures`, which
 * `datasets` reads from the file's `huggingface` key-value metadata to decode images).
 */
export interface LeRobotFeature {
  dtype: 'image' | 'float32' | 'int64';
  shape: number[];
  names: string[] | null;
  /** What a reader must know beyond the dtype (units, encoding); LeRobot ignores it. */
  info?: Record<string, string>;
}

export type LeRobotFeatures = Record<string, LeRobotFeature>;

interface CameraSize {
  width: number;
  height: number;
}

const IMAGE_NAMES = ['height', 'width', 'channels'];
const MATRIX_NAMES = ['rows', 'columns'];

/** The features, in column order, for cameras of these sizes. */
export function leRobotFeatures(cameras: { scene: CameraSize; wrist: CameraSize }): LeRobotFeatures {
  const rgb = (c: CameraSize): LeRobotFeature => ({ dtype: 'image', shape: [c.height, c.width, 3], names: IMAGE_NAMES, info: { encoding: 'PNG, 8-bit RGB' } });
  const depth = (c: CameraSize): LeRobotFeature => ({
    dtype: 'image',
    shape: [c.height, c.width, 1],
    names: IMAGE_NAMES,
    info: { encoding: 'PNG, 16-bit grayscale', unit: 'millimetres along the optical axis', zero: 'nothing hit, or the frame blacked out' },
  });
  const intrinsics: LeRobotFeature = { dtype: 'float32', shape: [4], names: ['fx', 'fy', 'cx', 'cy'], info: { unit: 'pixels; pixel (u, v) has its centre at (u + 0.5, v + 0.5)' } };
  const extrinsics: LeRobotFeature = { dtype: 'float32', shape: [4, 4], names: MATRIX_NAMES, info: { frame: 'camera-to-world, row-major, metres; OpenGL axes: x right, y up, looking along -z' } };
  return {
    'observation.images.scene': rgb(cameras.scene),
    'observation.images.wrist': rgb(cameras.wrist),
    'observation.depth.scene': depth(cameras.scene),
    'observation.depth.wrist': depth(cameras.wrist),
    'observation.prompt.mask': {
      dtype: 'image',
      shape: [cameras.scene.height, cameras.scene.width, 1],
      names: IMAGE_NAMES,
      info: { encoding: 'PNG, 8-bit grayscale', meaning: "the target's true mask in the scene camera (255 inside): a training label" },
    },
    'observation.state': { dtype: 'float32', shape: [7], names: ['x', 'y', 'z', 'yaw', 'opening', 'gripForce', 'gripper'], info: { unit: 'palm pose in metres and radians (world frame), opening in metres, grip force in newtons, gripper command in [0, 1]; not normalised' } },
    'observation.prompt.box': { dtype: 'float32', shape: [4], names: ['x0', 'y0', 'x1', 'y1'], info: { unit: 'scene-camera pixels from the top-left corner, x1 and y1 exclusive; the detector box at t = 0, NaN when the detector missed' } },
    'observation.intrinsics.scene': intrinsics,
    'observation.extrinsics.scene': extrinsics,
    'observation.intrinsics.wrist': intrinsics,
    'observation.extrinsics.wrist': extrinsics,
    action: { dtype: 'float32', shape: [5], names: ['x', 'y', 'z', 'yaw', 'gripper'], info: { unit: 'absolute palm target in metres and radians (world frame), gripper command in [0 open, 1 closed]' } },
    timestamp: { dtype: 'float32', shape: [1], names: null },
    frame_index: { dtype: 'int64', shape: [1], names: null },
    episode_index: { dtype: 'int64', shape: [1], names: null },
    index: { dtype: 'int64', shape: [1], names: null },
    task_index: { dtype: 'int64', shape: [1], names: null },
  };
}

const PHYSICAL = { float32: 'FLOAT', int64: 'INT64' } as const;

/**
 * The Parquet schema of an episode file: every column required; an image is the struct
 * `{bytes: BYTE_ARRAY, path: UTF8}` that `datasets.Image` stores; a vector is a 3-level LIST
 * (`list` / `element`) as pyarrow writes it; a matrix a LIST of such LISTs; a shape-[1] feature a
 * plain column.
 */
export function parquetSchema(features: LeRobotFeatures): SchemaElement[] {
  const entries = Object.entries(features);
  const schema: SchemaElement[] = [{ name: 'schema', num_children: entries.length }];
  for (const [name, f] of entries) {
    if (f.dtype === 'image') {
      schema.push(
        { name, repetition_type: 'REQUIRED', num_children: 2 },
        { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'REQUIRED' },
        { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      );
      continue;
    }
    const leaf = PHYSICAL[f.dtype];
    if (f.shape.length === 1 && f.shape[0] === 1) {
      schema.push({ name, type: leaf, repetition_type: 'REQUIRED' });
      continue;
    }
    if (f.shape.length > 2) throw new Error(`feature ${name}: shape ${f.shape} not supported`);
    let element = name;
    for (let d = 0; d < f.shape.length; d++) {
      schema.push({ name: element, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      element = 'element';
    }
    schema.push({ name: 'element', type: leaf, repetition_type: 'REQUIRED' });
  }
  return schema;
}

/**
 * The `datasets.Features` of the columns, serialised as `datasets` keeps them in a Parquet file's
 * `huggingface` metadata (`{"info": {"features": ...}}`), chosen as LeRobot's
 * `get_hf_features_from_features` does: Image, Value for shape [1], Sequence for a vector,
 * Array2D for a matrix.
 */
export function huggingFaceFeatures(features: LeRobotFeatures): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(features)) {
    if (f.dtype === 'image') out[name] = { _type: 'Image' };
    else if (f.shape.length === 1 && f.shape[0] === 1) out[name] = { dtype: f.dtype, _type: 'Value' };
    else if (f.shape.length === 1) out[name] = { feature: { dtype: f.dtype, _type: 'Value' }, length: f.shape[0], _type: 'Sequence' };
    else out[name] = { shape: f.shape, dtype: f.dtype, _type: 'Array2D' };
  }
  return { info: { features: out } };
}
