import type { EpisodeKey, PalmPose, Polygon2, Quat, Vec3 } from '../core/index.js';
import type { ObjectDesc } from '../config/index.js';
import type { CameraModel, Frame, SensorFrame } from '../render/index.js';
import type { Task } from '../sim/index.js';

/**
 * One control command: the absolute palm target (tool centre point, world frame, metres and
 * radians) and the gripper command in [0 open, 1 closed].
 */
export interface Action {
  x: number;
  y: number;
  z: number;
  yaw: number;
  gripper: number;
}

/** What the robot feels about itself. */
export interface Proprio {
  /** Current palm (TCP) pose. */
  palm: Readonly<PalmPose>;
  /** Distance between the finger pads, metres. */
  opening: number;
  /** Mean normal force of the two pads on whatever they touch, newtons. */
  gripForce: number;
  /** The gripper command now in force. */
  gripper: number;
}

/** The two cameras: `scene` fixed, looking obliquely into the bin; `wrist` on the palm, looking down. */
export interface PerCamera<T> {
  readonly scene: T;
  readonly wrist: T;
}

/**
 * What a policy sees at one control step: sensors only. Segment ids, poses and the target travel
 * on the env's ground-truth channel (`trueFrames`, `privileged`), never here.
 */
export interface Observation {
  /** Control step index, from 0 at reset. */
  t: number;
  proprio: Proprio;
  /**
   * Camera frames of this step (RGB and depth), rendered on first access. The buffers are reused:
   * a frame is valid until the next `step`, and reading it after that throws; `cloneSensorFrame`
   * what you keep.
   */
  frames: PerCamera<SensorFrame>;
  /** Intrinsics and camera-to-world poses, to turn a depth pixel into a world point. */
  cameras: PerCamera<CameraModel>;
}

/** Why an episode failed, most telling first. */
export const FAILURE_REASONS = [
  'no_prompt',
  'invalid_action',
  'unstable',
  'escaped',
  'wrong_object',
  'slipped',
  'collided',
  'missed',
  'timeout',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The judged result of an episode. */
export interface Outcome {
  successTarget: boolean;
  successAny: boolean;
  /** Index of the object lifted and held for the hold time, or null. */
  liftedObject: number | null;
  failureReason: FailureReason | null;
  /** Horizontal distance from the TCP to the centroid of the target's footprint when the gripper began to close (m). */
  graspError: number | null;
  /** The TCP position when the gripper first closed. */
  closingPoint: Vec3 | null;
  /**
   * The averaging diagnostic, at the closing point (metres, horizontal): distance to the nearest
   * object's footprint centroid, and to the centroid of all objects. A policy that averages
   * demonstrations closes near the centroid and far from any object.
   */
  closingToNearest: number | null;
  closingToCentroid: number | null;
  /**
   * Tasks with a pusher: horizontal distance from the closing point to the target's footprint
   * centroid just before the push (metres). A policy that remembers where the target was, not
   * where it went, closes near it. Null when no push took place or the gripper never closed.
   */
  closingToPrepush: number | null;
}

export interface StepResult {
  observation: Observation;
  /** The episode ended on its own terms (success, or a failure that cannot be undone). */
  terminated: boolean;
  /** The horizon ran out. */
  truncated: boolean;
  /** Present once the episode is over. */
  outcome?: Outcome;
}

/** True state of one object: for the expert and the metrics, never for learned policies. */
export interface ObjectState {
  index: number;
  desc: ObjectDesc;
  position: Vec3;
  rotation: Quat;
  footprint: Polygon2;
  zMin: number;
  zMax: number;
  /** Settled at reset outside the bin; never a target. */
  escaped: boolean;
}

/** Privileged state of the whole scene. */
export interface PrivilegedState {
  key: EpisodeKey;
  target: number;
  objects: ObjectState[];
  bin: { inner: readonly [number, number]; wallHeight: number };
  gripper: { maxOpening: number };
  /** Tasks with a pusher: the control step at which its stroke began; null before, absent without one. */
  pushStep?: number | null;
  /** Tasks with a pusher that found a push to make: the control step its stroke is planned for, known at reset. */
  pushPlannedStep?: number;
}

/** Facts fixed at reset, for the episode's CSV row. */
export interface ResetInfo {
  nObjects: number;
  target: number;
  targetName: string;
  /** Pixels of the target in the scene camera's ids at t = 0. */
  targetPixels: number;
  /** Those pixels over the pixels it covers with nothing else in the scene: its unoccluded share. */
  targetVisible: number;
  settleSteps: number;
  settled: boolean;
  escapedAtReset: number;
  /** No object met the target rules; the most visible one in the bin was taken. */
  targetFallback: boolean;
  /**
   * Objects that could have been the target at t = 0 (in the bin, uncovered, narrow enough for the
   * gripper, visible to the scene camera); 1 with a fallback target. A policy that grasps one of
   * them at random, perfectly, takes the target with chance 1 / candidates.
   */
  candidates: number;
  /**
   * Success conditions that already hold at reset; must always be empty. `held`: an object is
   * between the pads; `lifted`: one is at lift height by the success rule; `floating`: one rests
   * a lift height above the floor.
   */
  successAtReset: string[];
}

/**
 * The environment's face, Gymnasium's shape with named fields. `GraspEnv` implements it, and so
 * do wrappers, which forward everything and change one thing.
 */
export interface Env {
  readonly task: Task;
  /** The innermost env, for what only it can do (render-only props, the live world). */
  readonly unwrapped: GraspEnvLike;
  reset(key: EpisodeKey): { observation: Observation; info: ResetInfo };
  step(action: Action): StepResult;
  /** True state of the scene: for the expert and the metrics only. */
  privileged(): PrivilegedState;
  /**
   * The ground-truth channel's frames of the current step: as rendered, segment ids included, and
   * never blacked out. For the metrics, the expert, the prompt detector, debug pictures, training
   * labels and components named `oracle`; never a policy's input.
   */
  trueFrames(): PerCamera<Frame>;
  stateHash(): string;
  close(): void;
}

/** What wrappers may ask of the base env beyond `Env`. */
export interface GraspEnvLike extends Env {
  /** Places a render-only card (no physics) in front of the scene, or removes it (null). */
  setDistractor(pose: { position: Vec3; yaw: number } | null): void;
  /** World position of the scene camera. */
  sceneCameraPosition(): Vec3;
  /**
   * Ground truth for recordings: every body's exact pose in the order `stateHash` hashes them
   * (objects, palm, fingers, pusher), 7 floats each. Never a policy's input.
   */
  bodyPoses(): Float32Array;
}
