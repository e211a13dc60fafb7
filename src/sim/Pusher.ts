import type { ObjectDesc } from '../config/index.js';
import { orientedRect, polygonCentroid, polygonsOverlap, quatFromYaw, type Point2, type Vec3 } from '../core/index.js';
import { COLLISION_GROUPS } from './collisionGroups.js';
import { objectExtent } from './objectExtent.js';
import { RAPIER } from './physicsSettings.js';
import { PADDLE, type PushPlan } from './planPush.js';

/** Speed coming in and leaving, m/s: fast, so that a stroke early in the episode can be reached. */
export const PUSHER_TRAVEL_SPEED = 1;
/** After the stroke the paddle backs off this far before it leaves, metres. */
const BACK_OFF = 0.01;
/**
 * The stroke's last few millimetres go at a quarter of its speed: an object let go at full speed
 * slides on (0.2 m/s: ~3 mm on this floor), stops, and is then brought to the end exactly.
 */
const FINISH = 0.006;
const FINISH_SLOWDOWN = 4;
/** The paddle travels this far above the bin's walls and the tallest object, metres. */
const TRAVEL_CLEARANCE = 0.02;
/** It parks on the table this far outside the bin's wall, metres. */
const PARK_OFFSET = 0.03;
/** Slot overlap tolerance when the paddle arrives, metres. */
const SLOT_MARGIN = 0.001;
/** Paddle friction: low, so that it slides along a face rather than dragging the object sideways. */
const PADDLE_FRICTION = 0.3;

/** An object of the scene, as the pusher reads it (GraspWorld's `SceneObject` is one). */
export interface PushedBody {
  readonly desc: ObjectDesc;
  readonly body: RAPIER.RigidBody;
}

/** What the bin is like, for the paddle's path. */
export interface PusherBin {
  readonly inner: readonly [number, number];
  readonly wallHeight: number;
  readonly wallThickness: number;
}

/** The push as it happened: filled when the stroke begins, completed when it ends. */
export interface PushRecord {
  /** The control step at which the stroke began. */
  readonly step: number;
  /** Footprint centroids (x, y) of the target and of the pushed object just before the stroke. */
  readonly targetBefore: Point2;
  readonly pushedBefore: Point2;
  /** The same once the paddle has backed off; null until then. */
  targetAfter: Point2 | null;
  pushedAfter: Point2 | null;
}

type Stage = 'enter' | 'stroke' | 'leave';

interface Leg {
  readonly to: Vec3;
  readonly speed: number;
  readonly stage: Stage;
  /** The stroke's first leg: it waits for the stroke's time. */
  readonly waits?: boolean;
  /** What happens on arrival: the paddle is down in its slot, or has backed off after the stroke. */
  readonly then?: 'slot' | 'stroked';
}

/**
 * A scripted pusher: a kinematic paddle that parks on the table outside the bin, comes in over
 * the wall, drops to the floor behind the object its plan names, strokes along the plan's
 * direction at `speed` (so the object slides by the drawn distance) starting at the plan's
 * control step, backs off and leaves the way it came. It touches objects only during the stroke
 * (a ghost otherwise: it never disturbs the scene coming in or leaving) and never the hand or the
 * bin. It leaves at the time that brings it to its slot exactly when the stroke is due; if that
 * time is before reset, it starts where it would be at reset.
 */
export class Pusher {
  readonly body: RAPIER.RigidBody;
  readonly collider: RAPIER.Collider;
  /** Set when the stroke begins; stays null if it has not begun, or the slot was taken. */
  record: PushRecord | null = null;
  /** The slot was occupied when the paddle came down: no stroke was made. */
  blocked = false;
  private readonly legs: Leg[];
  private leg = 0;
  private readonly pos: Vec3;
  /** Physics steps since reset (t = 0); negative while fast-forwarding to the reset pose. */
  private stepIndex: number;
  private readonly departAt: number;
  private readonly strokeAt: number;
  private readonly yaw: number;
  /** It touches objects (during the stroke). */
  private solid = false;

  constructor(
    world: RAPIER.World,
    private readonly objects: readonly PushedBody[],
    readonly plan: PushPlan,
    bin: PusherBin,
    strokeSpeed: number,
    private readonly dt: number,
    /** Physics steps per control step. */
    private readonly substeps: number,
  ) {
    const { ux, uy, slot } = plan;
    this.yaw = Math.atan2(uy, ux);
    const floorZ = PADDLE.lift + PADDLE.height / 2;
    const tallest = Math.max(bin.wallHeight, ...objects.map((o) => objectExtent(o.desc.shape, o.body.translation(), o.body.rotation()).zMax));
    const travelZ = tallest + TRAVEL_CLEARANCE + PADDLE.height / 2 + PADDLE.lift;
    const out = exitDistance(slot, -ux, -uy, bin.inner) + bin.wallThickness + PARK_OFFSET + Math.hypot(PADDLE.thickness, PADDLE.width) / 2;
    const at = (along: number, z: number): Vec3 => ({ x: slot[0] + along * ux, y: slot[1] + along * uy, z });
    const end = plan.stroke;
    const slow = strokeSpeed / FINISH_SLOWDOWN;
    this.legs = [
      { to: at(-out, travelZ), speed: PUSHER_TRAVEL_SPEED, stage: 'enter' },
      { to: at(0, travelZ), speed: PUSHER_TRAVEL_SPEED, stage: 'enter' },
      { to: at(0, floorZ), speed: PUSHER_TRAVEL_SPEED, stage: 'enter', then: 'slot' },
      { to: at(Math.max(0, end - FINISH), floorZ), speed: strokeSpeed, stage: 'stroke', waits: true },
      { to: at(end, floorZ), speed: slow, stage: 'stroke' },
      { to: at(end - BACK_OFF, floorZ), speed: slow, stage: 'stroke', then: 'stroked' },
      { to: at(end - BACK_OFF, travelZ), speed: PUSHER_TRAVEL_SPEED, stage: 'leave' },
      { to: at(-out, travelZ), speed: PUSHER_TRAVEL_SPEED, stage: 'leave' },
      { to: at(-out, floorZ), speed: PUSHER_TRAVEL_SPEED, stage: 'leave' },
    ];
    const park = at(-out, floorZ);
    this.pos = { ...park };
    // Each leg takes whole steps: ceil(length / step length).
    let entrySteps = 0;
    let from = park;
    for (const leg of this.legs.slice(0, 3)) {
      entrySteps += Math.ceil(distance(from, leg.to) / (leg.speed * dt) - 1e-9);
      from = leg.to;
    }
    this.strokeAt = plan.startStep * substeps;
    this.departAt = this.strokeAt - entrySteps;
    // Where it is at reset: the body and its collider are made there (a collider follows a moved
    // body only at the next physics step, and the reset frame is rendered before that).
    this.stepIndex = Math.min(0, this.departAt);
    while (this.stepIndex < 0) this.advance();
    this.body = world.createRigidBody(
      RAPIER.RigidBodyDesc.kinematicPositionBased().setTranslation(this.pos.x, this.pos.y, this.pos.z).setRotation(quatFromYaw(this.yaw)),
    );
    this.collider = world.createCollider(
      RAPIER.ColliderDesc.cuboid(PADDLE.thickness / 2, PADDLE.width / 2, PADDLE.height / 2)
        .setFriction(PADDLE_FRICTION)
        .setCollisionGroups(this.solid ? COLLISION_GROUPS.pusherSolid : COLLISION_GROUPS.pusherGhost),
      this.body,
    );
  }

  /** Advances the paddle one physics step. Call before every `world.step()`, as the palm's. */
  beforeStep(): void {
    this.advance();
    this.body.setNextKinematicTranslation(this.pos);
    this.body.setNextKinematicRotation(quatFromYaw(this.yaw));
  }

  /** The current stage: `enter` (also parked before leaving), `stroke`, `leave` (also parked after). */
  stage(): Stage {
    return this.legs[Math.min(this.leg, this.legs.length - 1)].stage;
  }

  private advance(): void {
    const k = this.stepIndex++;
    if (k < this.departAt) return;
    while (this.leg < this.legs.length) {
      const leg = this.legs[this.leg];
      if (leg.waits) {
        if (k < this.strokeAt) return;
        if (!this.record) this.beginStroke(k);
      }
      const left = distance(this.pos, leg.to);
      const stepLength = leg.speed * this.dt;
      if (left > 0) {
        const f = Math.min(1, stepLength / left);
        this.pos.x += (leg.to.x - this.pos.x) * f;
        this.pos.y += (leg.to.y - this.pos.y) * f;
        this.pos.z += (leg.to.z - this.pos.z) * f;
      }
      if (left > stepLength) return;
      this.arrive();
      if (left > 0) return;
    }
  }

  /** The end of the current leg: snap onto its point, switch collisions, take measures. */
  private arrive(): void {
    const leg = this.legs[this.leg];
    Object.assign(this.pos, leg.to);
    if (leg.then === 'slot') {
      if (this.slotTaken()) {
        // Skip the stroke and the back-off: leave from here.
        this.blocked = true;
        this.leg = this.legs.findIndex((l) => l.stage === 'leave');
        return;
      }
      this.setSolid(true);
    } else if (leg.then === 'stroked') {
      this.setSolid(false);
      if (this.record) {
        this.record.targetAfter = this.centroid(this.plan.target);
        this.record.pushedAfter = this.centroid(this.plan.pushed);
      }
    }
    this.leg++;
  }

  private setSolid(solid: boolean): void {
    this.solid = solid;
    // Before reset (fast-forwarding) the collider is not made yet; it is made with this setting.
    this.collider?.setCollisionGroups(solid ? COLLISION_GROUPS.pusherSolid : COLLISION_GROUPS.pusherGhost);
  }

  private beginStroke(k: number): void {
    this.record = {
      step: Math.floor(k / this.substeps),
      targetBefore: this.centroid(this.plan.target),
      pushedBefore: this.centroid(this.plan.pushed),
      targetAfter: null,
      pushedAfter: null,
    };
  }

  /** Something stands where the paddle came down (the scene moved since reset). */
  private slotTaken(): boolean {
    const paddle = orientedRect(this.pos.x, this.pos.y, this.yaw, PADDLE.thickness / 2, PADDLE.width / 2);
    const top = PADDLE.lift + PADDLE.height;
    return this.objects.some((o) => {
      const e = objectExtent(o.desc.shape, o.body.translation(), o.body.rotation());
      return e.zMin < top && polygonsOverlap(paddle, e.footprint, SLOT_MARGIN);
    });
  }

  private centroid(index: number): Point2 {
    const o = this.objects[index];
    return polygonCentroid(objectExtent(o.desc.shape, o.body.translation(), o.body.rotation()).footprint);
  }
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
}

/** Distance from a point inside the bin to its inner wall along (dx, dy). */
function exitDistance(p: Point2, dx: number, dy: number, inner: readonly [number, number]): number {
  const along = (c: number, d: number, half: number) => (d > 1e-12 ? (half - c) / d : d < -1e-12 ? (-half - c) / d : Infinity);
  return Math.min(along(p[0], dx, inner[0] / 2), along(p[1], dy, inner[1] / 2));
}
