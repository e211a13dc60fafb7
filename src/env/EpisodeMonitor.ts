import type { TaskSpec } from '../config/index.js';
import { polygonCentroid, type Vec3 } from '../core/index.js';
import { objectExtent, type FingerContacts, type GraspWorld } from '../sim/index.js';
import type { FailureReason, Outcome } from './types.js';

/** A pad pressing this hard (N) on an object counts as touching it. */
const TOUCH_FORCE = 0.5;
/** A finger pressing the table or bin this hard (N) has struck it, not brushed it. */
const STRIKE_FORCE = 5;
/**
 * A gripper command at or above this counts as closing (the closing point and grasp error are
 * taken then). Pre-shaping never reaches it: even a 2 cm object asks for 1 - 3.5/10 = 0.65.
 */
export const CLOSING_COMMAND = 0.9;
/** Lift (m) above which a target between the pads counts as picked up, for `slipped`. */
const PICKED_UP = 0.02;

/**
 * Watches an episode at every control step and judges it physically: an object is held when both
 * pads press on it, lifted when it is `liftHeight` above its rest height, and a success needs the
 * target lifted, held and alone in the air for `holdSeconds`. Records what a failure needs to be
 * explained.
 */
export class EpisodeMonitor {
  private readonly holdStepsNeeded: number;
  private readonly heldFor: number[];
  private successTarget = false;
  private targetAloneFor = 0;
  private liftedObject: number | null = null;
  private everClosed = false;
  private targetPickedUp = false;
  private otherLifted = false;
  private collided = false;
  private fatal: FailureReason | null = null;
  private closingPoint: Vec3 | null = null;
  private graspError: number | null = null;
  private closingToNearest: number | null = null;
  private closingToCentroid: number | null = null;

  constructor(
    private readonly gw: GraspWorld,
    private readonly target: number,
    private readonly success: TaskSpec['success'],
    controlHz: number,
  ) {
    this.holdStepsNeeded = Math.max(1, Math.round(success.holdSeconds * controlHz));
    this.heldFor = gw.objects.map(() => 0);
  }

  /** Objects each pad presses on, and whether both press on `index`. */
  static isHeld(contacts: FingerContacts, index: number): boolean {
    return contacts.perFinger.every((m) => (m.get(index) ?? 0) >= TOUCH_FORCE);
  }

  /** Indices of objects lifted above their rest height by at least `liftHeight`. */
  liftedObjects(): number[] {
    return this.gw.objects.filter((o) => this.gw.liftOf(o.index) >= this.success.liftHeight).map((o) => o.index);
  }

  /** Records a non-finite action; the episode ends. */
  markInvalidAction(): void {
    this.fatal ??= 'invalid_action';
  }

  /**
   * Judges the state after one control step. Returns true when the episode is decided: a
   * success, an object held for the hold time, or a failure that cannot be undone.
   */
  observe(contacts: FingerContacts, gripperCommand: number, tcp: Vec3): boolean {
    if (this.gw.isUnstable()) this.fatal ??= 'unstable';
    else if (this.gw.isOutsideBin(this.target)) this.fatal ??= 'escaped';
    if (this.fatal) return true;

    if (gripperCommand >= CLOSING_COMMAND && !this.everClosed) {
      this.everClosed = true;
      this.closingPoint = { ...tcp };
      this.graspError = this.distanceToTarget(tcp);
      this.measureAveraging(tcp);
    }
    if (contacts.staticForce > STRIKE_FORCE || contacts.palmTouches) this.collided = true;

    const lifted = this.liftedObjects();
    if (lifted.some((i) => i !== this.target)) this.otherLifted = true;
    const targetHeld = EpisodeMonitor.isHeld(contacts, this.target);
    if (targetHeld && this.gw.liftOf(this.target) >= PICKED_UP) this.targetPickedUp = true;

    for (const o of this.gw.objects) {
      const held = lifted.includes(o.index) && EpisodeMonitor.isHeld(contacts, o.index);
      this.heldFor[o.index] = held ? this.heldFor[o.index] + 1 : 0;
      if (this.liftedObject === null && this.heldFor[o.index] >= this.holdStepsNeeded) this.liftedObject = o.index;
    }
    // The target counts only while it is the one object in the air: nothing rides along on it.
    const alone = lifted.length === 1 && this.heldFor[this.target] > 0;
    this.targetAloneFor = alone ? this.targetAloneFor + 1 : 0;
    if (this.targetAloneFor >= this.holdStepsNeeded) this.successTarget = true;
    // Decided: the target is up alone, or another object is up for good.
    return this.successTarget || (this.liftedObject !== null && this.liftedObject !== this.target);
  }

  /** Centroid of an object's footprint, seen from above. */
  private footprintCentre(index: number): readonly [number, number] {
    const { position, rotation } = this.gw.objectPose(index);
    return polygonCentroid(objectExtent(this.gw.objects[index].desc.shape, position, rotation).footprint);
  }

  /** Horizontal distance from a point to the centroid of the target's footprint. */
  private distanceToTarget(point: Vec3): number {
    const [cx, cy] = this.footprintCentre(this.target);
    return Math.hypot(point.x - cx, point.y - cy);
  }

  private measureAveraging(point: Vec3): void {
    const centres = this.gw.objects.filter((o) => !this.gw.isOutsideBin(o.index)).map((o) => this.footprintCentre(o.index));
    if (centres.length === 0) return;
    this.closingToNearest = Math.min(...centres.map(([x, y]) => Math.hypot(point.x - x, point.y - y)));
    const mx = centres.reduce((s, c) => s + c[0], 0) / centres.length;
    const my = centres.reduce((s, c) => s + c[1], 0) / centres.length;
    this.closingToCentroid = Math.hypot(point.x - mx, point.y - my);
  }

  /** The verdict; call once the episode is over. */
  outcome(): Outcome {
    const push = this.gw.pusher?.record;
    const cp = this.closingPoint;
    return {
      successTarget: this.successTarget,
      successAny: this.liftedObject !== null,
      liftedObject: this.liftedObject,
      failureReason: this.successTarget ? null : this.failureReason(),
      graspError: this.graspError,
      closingPoint: this.closingPoint,
      closingToNearest: this.closingToNearest,
      closingToCentroid: this.closingToCentroid,
      closingToPrepush: cp && push ? Math.hypot(cp.x - push.targetBefore[0], cp.y - push.targetBefore[1]) : null,
    };
  }

  /** The most telling reason, in the order of FAILURE_REASONS. */
  private failureReason(): FailureReason {
    if (this.fatal) return this.fatal;
    if (this.otherLifted) return 'wrong_object';
    if (this.targetPickedUp) return 'slipped';
    if (this.collided) return 'collided';
    if (this.everClosed) return 'missed';
    return 'timeout';
  }
}
