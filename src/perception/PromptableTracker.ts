import type { SensorFrame } from '../render/index.js';
import type { Box } from './Box.js';

/** One frame's answer of a promptable video tracker. */
export interface TrackResult {
  /** 1 where the tracked object is, 0 elsewhere; H x W, row-major. */
  mask: Uint8Array;
  /** The mask's box, or null for an empty mask. */
  box: Box | null;
  /** Confidence in [0, 1]: high when the object was seen in this frame, low when carried from memory. */
  score: number;
  /** The tracker's own description of the object (SAM2's object pointer; its length depends on the tracker). */
  embedding: Float32Array;
  /** `maskDescriptor` of the mask: the same fixed length for every tracker; carried from memory when unseen. */
  descriptor: Float32Array;
  /** The answer comes from memory: the object was not seen in this frame. */
  fromMemory: boolean;
  /**
   * Every object in view, class-agnostic (SAM's "everything"), when the tracker's image encoder
   * gives it: 1 on objects, 0 on the bin, the floor and the hand; H x W.
   */
  foreground?: Uint8Array;
}

/**
 * SAM2's video interface: prompted once with a box on the first frame, then asked frame by frame,
 * keeping a memory bank of recent frames that carries the object through frames where it cannot
 * be seen. It is given sensor frames only (RGB and depth). Async because real trackers run models.
 */
export interface PromptableTracker {
  readonly name: string;
  init(frame: SensorFrame, box: Box): Promise<TrackResult>;
  track(frame: SensorFrame): Promise<TrackResult>;
}
