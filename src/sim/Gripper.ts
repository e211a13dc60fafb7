import type { TaskSpec } from '../config/index.js';
import { clamp, quatFromYaw, stepPoseTowards, type OrientedBox, type PalmPose, type Vec3 } from '../core/index.js';
import { COLLISION_GROUPS } from './collisionGroups.js';
import { PHYSICS, RAPIER } from './physicsSettings.js';

export type GripperSpec = TaskSpec['gripper'];

/**
 * Finger and palm dimensions, metres. The palm's frame origin is the tool centre point (TCP):
 * midway between the finger pads, `tipBelowTcp` above the fingertips. Actions move this point.
 */
export const GRIPPER_GEOMETRY = {
  /** Finger size along the closing axis (x), across it (y) and vertically (z). */
  fingerThickness: 0.012,
  fingerWidth: 0.02,
  fingerLength: 0.055,
  /** The fingertips sit this far below the TCP. */
  tipBelowTcp: 0.02,
  palmThickness: 0.02,
  /** The palm reaches this far beyond each fully opened finger's outer face. */
  palmOverhang: 0.005,
  /** Lowest TCP height the palm may be sent to: keeps the fingertips 2 mm above the table. */
  minTcpHeight: 0.022,
} as const;

const G = GRIPPER_GEOMETRY;
/** Height of the pad centre above the TCP. */
const PAD_CENTRE_Z = G.fingerLength / 2 - G.tipBelowTcp;
const PALM_CENTRE_Z = G.fingerLength - G.tipBelowTcp + G.palmThickness / 2;

/** Half the palm's length along the closing axis, for a hand that opens `maxOpening`. */
export function palmHalfLength(maxOpening: number): number {
  return maxOpening / 2 + G.fingerThickness + G.palmOverhang;
}

/** A box collider of the hand: half extents, and its centre in its body's frame (metres). */
export interface GripperBox {
  halfExtents: readonly [number, number, number];
  offset: readonly [number, number, number];
}

/**
 * The hand's three boxes as the physics builds them, for anything that draws the hand from
 * recorded body poses: the palm in the palm body's frame (origin at the TCP), each finger in its
 * own body's frame (origin on its pad face), the finger on the palm's -x side first.
 */
export function gripperBoxes(maxOpening: number): { palm: GripperBox; fingers: readonly [GripperBox, GripperBox] } {
  const finger = (side: -1 | 1): GripperBox => ({ halfExtents: [G.fingerThickness / 2, G.fingerWidth / 2, G.fingerLength / 2], offset: [(side * G.fingerThickness) / 2, 0, PAD_CENTRE_Z] });
  return {
    palm: { halfExtents: [palmHalfLength(maxOpening), G.fingerWidth, G.palmThickness / 2], offset: [0, 0, PALM_CENTRE_Z] },
    fingers: [finger(-1), finger(1)],
  };
}

/**
 * Where the hand's three boxes stand in the world for a palm pose and finger opening, as the
 * robot's own model and proprioception give them (a real robot filters itself out of its point
 * clouds the same way). The hand is upright: only its yaw turns it.
 */
export function handBoxesAt(palm: Readonly<PalmPose>, opening: number, maxOpening: number): OrientedBox[] {
  const { palm: palmBox, fingers } = gripperBoxes(maxOpening);
  const c = Math.cos(palm.yaw);
  const s = Math.sin(palm.yaw);
  // A box whose centre sits `along` the closing axis and `up` from the TCP.
  const at = (box: GripperBox, along: number, up: number): OrientedBox => ({
    centre: [palm.x + c * along, palm.y + s * along, palm.z + up],
    axis: [c, s],
    halfExtents: box.halfExtents,
  });
  // Each finger's body origin is on its pad face, half the opening from the TCP.
  const finger = (box: GripperBox, side: -1 | 1) => at(box, (side * opening) / 2 + box.offset[0], box.offset[2]);
  return [at(palmBox, palmBox.offset[0], palmBox.offset[2]), finger(fingers[0], -1), finger(fingers[1], 1)];
}

/**
 * A floating parallel-jaw hand, as VGN's and GIGA's: a kinematic palm that moves towards its
 * target with bounded speed, and two dynamic fingers on limited prismatic joints driven by
 * force-limited position motors, so the grip force is what the motors can push, not what a
 * kinematic body would impose.
 */
export class Gripper {
  readonly palm: RAPIER.RigidBody;
  readonly fingers: readonly [RAPIER.RigidBody, RAPIER.RigidBody];
  readonly palmCollider: RAPIER.Collider;
  readonly fingerColliders: readonly [RAPIER.Collider, RAPIER.Collider];
  private readonly joints: readonly [RAPIER.PrismaticImpulseJoint, RAPIER.PrismaticImpulseJoint];
  private readonly pose: PalmPose;
  private readonly target: PalmPose;
  private command = 0;
  private readonly workspace: { halfX: number; halfY: number; maxZ: number };

  constructor(
    private readonly world: RAPIER.World,
    private readonly spec: GripperSpec,
    binInner: readonly [number, number],
  ) {
    const [hx, hy, hz] = spec.home;
    this.pose = { x: hx, y: hy, z: hz, yaw: 0 };
    this.target = { ...this.pose };
    this.workspace = { halfX: binInner[0] / 2 + 0.05, halfY: binInner[1] / 2 + 0.05, maxZ: 0.6 };

    this.palm = world.createRigidBody(
      RAPIER.RigidBodyDesc.kinematicPositionBased().setTranslation(hx, hy, hz),
    );
    const palm = gripperBoxes(spec.maxOpening).palm;
    this.palmCollider = world.createCollider(
      RAPIER.ColliderDesc.cuboid(...palm.halfExtents)
        .setTranslation(...palm.offset)
        .setCollisionGroups(COLLISION_GROUPS.gripper)
        // A kinematic palm meets fixed bodies only if asked: we want to know when it hits the bin.
        .setActiveCollisionTypes(RAPIER.ActiveCollisionTypes.DEFAULT | RAPIER.ActiveCollisionTypes.KINEMATIC_FIXED),
      this.palm,
    );
    const open = spec.maxOpening / 2;
    const left = this.makeFinger(-1, open);
    const right = this.makeFinger(1, open);
    this.fingers = [left.body, right.body];
    this.fingerColliders = [left.collider, right.collider];
    this.joints = [left.joint, right.joint];
    this.setCommand(0);
  }

  /** side -1: the finger on the palm's -x side; +1: on its +x side. */
  private makeFinger(side: -1 | 1, halfOpening: number) {
    const body = this.world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic()
        .setTranslation(this.pose.x + side * halfOpening, this.pose.y, this.pose.z)
        .setCanSleep(false),
    );
    // The finger body's origin lies on its pad face, so the joint coordinate is the pad's
    // distance from the TCP.
    const box = gripperBoxes(this.spec.maxOpening).fingers[side < 0 ? 0 : 1];
    const collider = this.world.createCollider(
      RAPIER.ColliderDesc.cuboid(...box.halfExtents)
        .setTranslation(...box.offset)
        .setMass(PHYSICS.fingerMass)
        .setFriction(PHYSICS.fingerFriction)
        .setCollisionGroups(COLLISION_GROUPS.gripper),
      body,
    );
    const params = RAPIER.JointData.prismatic({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: 0 }, { x: side, y: 0, z: 0 });
    params.limitsEnabled = true;
    params.limits = [0, this.spec.maxOpening / 2];
    const joint = this.world.createImpulseJoint(params, this.palm, body, true) as RAPIER.PrismaticImpulseJoint;
    joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
    joint.setMotorMaxForce(this.spec.fingerForce);
    return { body, collider, joint };
  }

  /** Sets where the palm should go; the target is clamped to the reachable workspace. */
  setTarget(target: PalmPose): void {
    this.target.x = clamp(target.x, -this.workspace.halfX, this.workspace.halfX);
    this.target.y = clamp(target.y, -this.workspace.halfY, this.workspace.halfY);
    this.target.z = clamp(target.z, G.minTcpHeight, this.workspace.maxZ);
    this.target.yaw = target.yaw;
  }

  /** Gripper command in [0 open, 1 closed]: each pad is driven to (1 - c) * maxOpening / 2. */
  setCommand(command: number): void {
    this.command = clamp(command, 0, 1);
    const halfOpening = ((1 - this.command) * this.spec.maxOpening) / 2;
    for (const joint of this.joints) {
      joint.configureMotorPosition(halfOpening, PHYSICS.fingerMotorStiffness, PHYSICS.fingerMotorDamping);
    }
  }

  /**
   * Advances the palm one physics step towards its target at bounded speed. Call before every
   * `world.step()`: a kinematic body's next pose must be set at every substep, or it stops.
   */
  beforeStep(dt: number): void {
    stepPoseTowards(this.pose, this.target, this.spec.maxSpeed * dt, this.spec.maxYawRate * dt);
    this.palm.setNextKinematicTranslation(this.pose);
    this.palm.setNextKinematicRotation(quatFromYaw(this.pose.yaw));
  }

  /** Current palm pose (the commanded kinematic pose, which the palm follows exactly). */
  palmPose(): Readonly<PalmPose> {
    return this.pose;
  }

  gripperCommand(): number {
    return this.command;
  }

  /** Distance between the two pads, metres, from the fingers' joint coordinates. */
  opening(): number {
    const p = this.pose;
    const c = Math.cos(this.pose.yaw);
    const s = Math.sin(this.pose.yaw);
    let total = 0;
    for (const finger of this.fingers) {
      const t = finger.translation();
      total += Math.abs((t.x - p.x) * c + (t.y - p.y) * s);
    }
    return total;
  }

  /** World position of the TCP. */
  tcp(): Vec3 {
    return { x: this.pose.x, y: this.pose.y, z: this.pose.z };
  }
}
