/**
 * One episode's motion as a sweep records it (`motion.bin` beside `episodes.csv`, one record per
 * row, in the rows' order): every body's pose at every control step, the gripper command, and for
 * prompted policies the tracker's box. Enough to replay the episode in 3-D, not to re-simulate it.
 */
export interface EpisodeMotion {
  /** The row it belongs to (`unitId` of the row): records and rows are checked against each other. */
  unit: string;
  /** The objects' catalog names, in creation order (object i is body i). */
  objects: string[];
  /** Index of the target object. */
  target: number;
  /**
   * Bodies per frame, in the order `GraspWorld.stateHash` hashes them: the objects, then the palm,
   * the two fingers, and the pusher when the episode has one.
   */
  bodies: number;
  hasPusher: boolean;
  /** Control steps taken: the episode has `steps + 1` frames (the last is the state at the end). */
  steps: number;
  /**
   * Frames x bodies x 7 (x, y, z in metres; qx, qy, qz, qw). Frame t < steps is the state the
   * policy acted on at step t, quantised (0.5 mm; quaternion components to 1/8191); the last
   * frame is exact (Rapier's own float32 values), so it hashes to the row's `state_hash`.
   */
  poses: Float32Array;
  /** The gripper command chosen at each step, in [0 open, 1 closed] to 1/254 (NaN: no valid action). */
  gripper: Float32Array;
  /** Prompted policies: the tracker's box in scene-camera pixels at each step, x0 y0 x1 y1 (NaN: none), to 1/4 pixel. */
  boxes: Float32Array | null;
}

/** Values per body pose in `EpisodeMotion.poses`. */
export const POSE_STRIDE = 7;
