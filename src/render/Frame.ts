/**
 * What a camera gives a robot: colour and metric depth, row-major from the top left. This is all a
 * policy sees of a frame.
 */
export interface SensorFrame {
  readonly width: number;
  readonly height: number;
  /** sRGB, 8 bits per channel, H x W x 3. */
  readonly rgb: Uint8Array;
  /** Metres along the camera's optical axis; +Infinity where nothing is hit, 0 where the frame was blacked out. H x W. */
  readonly depth: Float32Array;
}

/**
 * One rendered image, in one pass: the sensor data and the instance ids, which are ground truth
 * (for metrics, the expert, the detector, debug pictures, training labels and oracles; never a
 * policy's input). A renderer reuses its Frame's buffers: a frame is valid until that renderer's
 * next `render`, so copy (`cloneFrame`) what you keep.
 */
export interface Frame extends SensorFrame {
  /** Segment ids (see SEGMENT_IDS), H x W. */
  readonly ids: Uint16Array;
}

/** The sensor part of a frame, sharing its buffers: an object that has no `ids` at all. */
export function sensorView(frame: SensorFrame): SensorFrame {
  return { width: frame.width, height: frame.height, rgb: frame.rgb, depth: frame.depth };
}

export function createSensorFrame(width: number, height: number): SensorFrame {
  const n = width * height;
  return { width, height, rgb: new Uint8Array(n * 3), depth: new Float32Array(n) };
}

export function cloneSensorFrame(frame: SensorFrame): SensorFrame {
  return { width: frame.width, height: frame.height, rgb: frame.rgb.slice(), depth: frame.depth.slice() };
}

export function createFrame(width: number, height: number): Frame {
  return { ...createSensorFrame(width, height), ids: new Uint16Array(width * height) };
}

export function cloneFrame(frame: Frame): Frame {
  return { ...cloneSensorFrame(frame), ids: frame.ids.slice() };
}

/** Pinhole intrinsics in pixels. Pixel (u, v) has its centre at (u + 0.5, v + 0.5). */
export interface Intrinsics {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** Near clipping distance, metres. */
  near: number;
}

/**
 * A camera as a policy sees it: intrinsics, and the camera-to-world transform as a column-major
 * 4 x 4 matrix. Camera frame as in OpenGL and three.js: x right, y up, looking along -z.
 */
export interface CameraModel {
  intrinsics: Intrinsics;
  cameraToWorld: Float64Array;
}

/** The world point that pixel (u, v) at `depth` metres shows, written into `out` (a hot loop passes the same one every time). */
export function pixelToWorld(camera: CameraModel, u: number, v: number, depth: number, out: [number, number, number] = [0, 0, 0]): [number, number, number] {
  const { fx, fy, cx, cy } = camera.intrinsics;
  const x = ((u + 0.5 - cx) / fx) * depth;
  const y = (-(v + 0.5 - cy) / fy) * depth;
  const z = -depth;
  const m = camera.cameraToWorld;
  out[0] = m[0] * x + m[4] * y + m[8] * z + m[12];
  out[1] = m[1] * x + m[5] * y + m[9] * z + m[13];
  out[2] = m[2] * x + m[6] * y + m[10] * z + m[14];
  return out;
}
