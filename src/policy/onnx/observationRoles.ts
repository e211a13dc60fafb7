import type { ObservationRole, PolicyManifest } from '../../config/index.js';
import { cameraToWorldRows, intrinsicsRow, type Observation } from '../../env/index.js';
import type { Box, TrackResult } from '../../perception/index.js';

/** A camera frame, as an observation carries it. */
type SensorFrame = Observation['frames']['scene'];

/** The pixel size of each camera, from the task: what image-shaped roles must match. */
export interface CameraSizes {
  scene: { width: number; height: number };
  wrist: { width: number; height: number };
}

/** What one control step offers the roles. Only the roles a model asks for are computed. */
export interface RoleInput {
  observation: Observation;
  manifest: PolicyManifest;
  /** The t = 0 prompt box (prompted policies). */
  prompt: Box | null;
  /** The tracker's answer for this step (prompted policies that read a mask). */
  track: TrackResult | null;
  /** The conditioned feature vector of the first contract (`observation.features`). */
  features: () => Promise<Float32Array>;
}

/** One row of the README's contract table: the tensor's shape for a task, and how a step fills it. */
interface Role {
  shape(cameras: CameraSizes, featureLength: number): number[];
  encode(input: RoleInput): Float32Array | Promise<Float32Array>;
}

export const ROLES: Record<ObservationRole, Role> = {
  'observation.images.scene': { shape: (c) => [1, 3, c.scene.height, c.scene.width], encode: (s) => planarRgb(s.observation.frames.scene) },
  'observation.images.wrist': { shape: (c) => [1, 3, c.wrist.height, c.wrist.width], encode: (s) => planarRgb(s.observation.frames.wrist) },
  'observation.depth.scene': { shape: (c) => [1, 1, c.scene.height, c.scene.width], encode: (s) => depthMetres(s.observation.frames.scene) },
  'observation.depth.wrist': { shape: (c) => [1, 1, c.wrist.height, c.wrist.width], encode: (s) => depthMetres(s.observation.frames.wrist) },
  'observation.intrinsics.scene': { shape: () => [1, 4], encode: (s) => Float32Array.from(intrinsicsRow(s.observation.cameras.scene)) },
  'observation.intrinsics.wrist': { shape: () => [1, 4], encode: (s) => Float32Array.from(intrinsicsRow(s.observation.cameras.wrist)) },
  'observation.extrinsics.scene': { shape: () => [1, 4, 4], encode: (s) => Float32Array.from(cameraToWorldRows(s.observation.cameras.scene)) },
  'observation.extrinsics.wrist': { shape: () => [1, 4, 4], encode: (s) => Float32Array.from(cameraToWorldRows(s.observation.cameras.wrist)) },
  'observation.state': { shape: () => [1, 7], encode: (s) => normalisedState(s.observation, s.manifest.proprioNorm) },
  'observation.prompt.box': { shape: () => [1, 4], encode: (s) => boxRow(s.prompt) },
  'observation.prompt.mask': { shape: (c) => [1, 1, c.scene.height, c.scene.width], encode: (s) => maskPlane(s.track, s.observation.frames.scene) },
  'observation.features': { shape: (_, n) => [1, n], encode: (s) => s.features() },
};

/** RGB in [0, 1], channel-major (C x H x W), rows top to bottom as the camera sees them. */
export function planarRgb(frame: SensorFrame): Float32Array {
  const n = frame.width * frame.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[i] = frame.rgb[3 * i] / 255;
    out[n + i] = frame.rgb[3 * i + 1] / 255;
    out[2 * n + i] = frame.rgb[3 * i + 2] / 255;
  }
  return out;
}

/** Depth in metres along the optical axis; 0 where nothing was hit (a finite number a network can read) or the frame was blacked out. */
export function depthMetres(frame: SensorFrame): Float32Array {
  return frame.depth.map((d) => (Number.isFinite(d) ? d : 0));
}

/** Proprio in PROPRIO_FIELDS order, normalised with the manifest's proprioNorm. */
export function normalisedState(observation: Observation, norm: { mean: number[]; std: number[] }): Float32Array {
  const { palm, opening, gripForce, gripper } = observation.proprio;
  return Float32Array.from([palm.x, palm.y, palm.z, palm.yaw, opening, gripForce, gripper], (v, i) => (v - norm.mean[i]) / norm.std[i]);
}

function boxRow(box: Box | null): Float32Array {
  if (!box) throw new Error('observation.prompt.box: the policy has no prompt');
  return Float32Array.of(box.x0, box.y0, box.x1, box.y1);
}

/** The tracked mask as 1 inside, 0 outside. */
function maskPlane(track: TrackResult | null, frame: SensorFrame): Float32Array {
  if (!track) throw new Error('observation.prompt.mask: the policy has no track');
  const out = new Float32Array(frame.width * frame.height);
  for (let i = 0; i < out.length; i++) out[i] = track.mask[i];
  return out;
}
