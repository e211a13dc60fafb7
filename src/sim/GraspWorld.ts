import type { ObjectDesc, TaskSpec } from '../config/index.js';
import { hashFloats, type Quat, type Vec3 } from '../core/index.js';
import { COLLISION_GROUPS } from './collisionGroups.js';
import { Gripper } from './Gripper.js';
import { createWorld, PHYSICS, RAPIER } from './physicsSettings.js';
import type { PushPlan } from './planPush.js';
import { Pusher } from './Pusher.js';
import { colliderFor } from './shapeGeometry.js';
import type { Placement } from './Spawner.js';

/** One object in the scene. `restZ` is its height once the scene settled. */
export interface SceneObject {
  readonly index: number;
  readonly desc: ObjectDesc;
  readonly body: RAPIER.RigidBody;
  readonly collider: RAPIER.Collider;
  restZ: number;
}

export interface BodyPose {
  position: Vec3;
  rotation: Quat;
}

/** What the fingers touch after a physics step. */
export interface FingerContacts {
  /** Normal force (N) each finger presses on each object, keyed by object index. */
  readonly perFinger: readonly [Map<number, number>, Map<number, number>];
  /** Largest normal force between a finger and the table or bin, N. */
  readonly staticForce: number;
  /** The palm overlaps the bin, the table or an object. */
  readonly palmTouches: boolean;
}

/** Speeds beyond these mean the solver blew up, not that something moved fast. */
const UNSTABLE_SPEED = 10;
const UNSTABLE_SPIN = 200;
/** At rest: below these speeds for `REST_STEPS` consecutive steps. */
const REST_SPEED = 0.005;
const REST_SPIN = 0.05;
const REST_STEPS = 24;

/**
 * The Rapier world of one episode: table, open bin, objects and gripper. Built from descriptors
 * and placements; owns its WebAssembly memory until `free()`.
 */
export class GraspWorld {
  readonly world: RAPIER.World;
  readonly objects: SceneObject[] = [];
  private gripperOrNull: Gripper | null = null;
  private pusherOrNull: Pusher | null = null;
  private readonly objectByCollider = new Map<number, number>();
  private readonly staticColliders = new Set<number>();
  /** Bodies were added since the last step: the next one lets Rapier map them (see `step`). */
  private bodiesAdded = true;
  /** The table top and the bin walls, for renderers. */
  readonly staticParts: { collider: RAPIER.Collider; part: 'table' | 'bin' }[] = [];
  readonly dt: number;

  constructor(
    private readonly spec: TaskSpec,
    objects: readonly ObjectDesc[],
    placements: readonly Placement[],
  ) {
    this.dt = 1 / spec.control.physicsHz;
    this.world = createWorld(spec.control.physicsHz);
    this.buildTableAndBin();
    objects.forEach((desc, index) => this.addObject(index, desc, placements[index]));
  }

  private buildTableAndBin(): void {
    const { inner, wallHeight, wallThickness: t } = this.spec.bin;
    const [w, d] = inner;
    const table = this.world.createRigidBody(RAPIER.RigidBodyDesc.fixed());
    const boxes: [number, number, number, number, number, number][] = [
      // half extents, centre: the table top is the bin floor, z = 0
      [0.5, 0.5, 0.02, 0, 0, -0.02],
      [w / 2 + t, t / 2, wallHeight / 2, 0, d / 2 + t / 2, wallHeight / 2],
      [w / 2 + t, t / 2, wallHeight / 2, 0, -d / 2 - t / 2, wallHeight / 2],
      [t / 2, d / 2, wallHeight / 2, w / 2 + t / 2, 0, wallHeight / 2],
      [t / 2, d / 2, wallHeight / 2, -w / 2 - t / 2, 0, wallHeight / 2],
    ];
    for (const [i, [hx, hy, hz, x, y, z]] of boxes.entries()) {
      const collider = this.world.createCollider(
        RAPIER.ColliderDesc.cuboid(hx, hy, hz)
          .setTranslation(x, y, z)
          .setFriction(PHYSICS.binFriction)
          .setCollisionGroups(COLLISION_GROUPS.static),
        table,
      );
      this.staticColliders.add(collider.handle);
      this.staticParts.push({ collider, part: i === 0 ? 'table' : 'bin' });
    }
  }

  private addObject(index: number, desc: ObjectDesc, placement: Placement): void {
    const body = this.world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic()
        .setTranslation(placement.position.x, placement.position.y, placement.position.z)
        .setRotation(placement.rotation),
    );
    const collider = this.world.createCollider(
      colliderFor(desc.shape)
        .setMass(desc.mass)
        .setFriction(PHYSICS.objectFriction)
        .setRestitution(PHYSICS.restitution)
        .setCollisionGroups(COLLISION_GROUPS.object),
      body,
    );
    this.objectByCollider.set(collider.handle, index);
    this.objects.push({ index, desc, body, collider, restZ: placement.position.z });
  }

  /**
   * Steps until every object has been at rest for a while, or `maxSteps` ran out; then records
   * each object's rest height. Returns the steps taken and whether the scene came to rest.
   */
  settle(maxSteps: number): { steps: number; settled: boolean } {
    let calm = 0;
    let steps = 0;
    while (steps < maxSteps && calm < REST_STEPS) {
      this.step();
      steps++;
      calm = this.objects.every((o) => isAtRest(o.body)) ? calm + 1 : 0;
    }
    for (const o of this.objects) o.restZ = o.body.translation().z;
    return { steps, settled: calm >= REST_STEPS };
  }

  /** Adds the gripper, after settling so that falling objects never meet it. */
  addGripper(): Gripper {
    if (this.gripperOrNull) throw new Error('gripper already added');
    this.gripperOrNull = new Gripper(this.world, this.spec.gripper, this.spec.bin.inner);
    this.bodiesAdded = true;
    return this.gripperOrNull;
  }

  get gripper(): Gripper {
    if (!this.gripperOrNull) throw new Error('gripper not added yet');
    return this.gripperOrNull;
  }

  /**
   * Adds the task's scripted pusher, to carry out `plan`, once the target is known. Its clock
   * starts now: the next `step()` is the first physics step of control step 0.
   */
  addPusher(plan: PushPlan): Pusher {
    const spec = this.spec.pusher;
    if (!spec) throw new Error('the task has no pusher');
    if (this.pusherOrNull) throw new Error('pusher already added');
    const substeps = this.spec.control.physicsHz / this.spec.control.controlHz;
    this.pusherOrNull = new Pusher(this.world, this.objects, plan, this.spec.bin, spec.speed, this.dt, substeps);
    this.bodiesAdded = true;
    return this.pusherOrNull;
  }

  /** The scripted pusher, if the task has one and it found a push to make. */
  get pusher(): Pusher | null {
    return this.pusherOrNull;
  }

  /** One physics step of 1 / physicsHz seconds. */
  step(): void {
    this.gripperOrNull?.beforeStep(this.dt);
    this.pusherOrNull?.beforeStep();
    if (this.bodiesAdded) {
      this.world.step();
      this.bodiesAdded = false;
      return;
    }
    // Rapier's World.step runs the pipeline, then walks every body, collider and joint handle
    // through JS callbacks to map what the WebAssembly side created or removed: two fifths of an
    // episode's garbage, for nothing once the scene is built (bodies made through the JS API are
    // mapped as they are made, and none is removed). The pipeline's step is the same call.
    const w = this.world;
    w.physicsPipeline.step(w.gravity, w.integrationParameters, w.islands, w.broadPhase, w.narrowPhase, w.bodies, w.colliders, w.softBodies, w.impulseJoints, w.multibodyJoints, w.ccdSolver);
  }

  objectPose(index: number): BodyPose {
    const body = this.objects[index].body;
    return { position: body.translation(), rotation: body.rotation() };
  }

  /** Height of the object above its settled rest height, metres. */
  liftOf(index: number): number {
    const o = this.objects[index];
    return o.body.translation().z - o.restZ;
  }

  /** Outside the bin's walls (on the table or falling off it). */
  isOutsideBin(index: number): boolean {
    const p = this.objects[index].body.translation();
    const [w, d] = this.spec.bin.inner;
    return Math.abs(p.x) > w / 2 || Math.abs(p.y) > d / 2 || p.z < -0.05;
  }

  /** A body moving or spinning impossibly fast, or a non-finite pose: the solver blew up. */
  isUnstable(): boolean {
    const bodies = this.objects.map((o) => o.body);
    if (this.gripperOrNull) bodies.push(...this.gripperOrNull.fingers);
    return bodies.some((b) => {
      const v = b.linvel();
      const w = b.angvel();
      const p = b.translation();
      return !(Number.isFinite(p.x + p.y + p.z) && Math.hypot(v.x, v.y, v.z) < UNSTABLE_SPEED && Math.hypot(w.x, w.y, w.z) < UNSTABLE_SPIN);
    });
  }

  /** Contact forces on the fingers from the last physics step. */
  fingerContacts(): FingerContacts {
    const gripper = this.gripper;
    const perFinger: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
    let staticForce = 0;
    gripper.fingerColliders.forEach((finger, side) => {
      this.world.contactPairsWith(finger, (other) => {
        let impulse = 0;
        this.world.contactPair(finger, other, (manifold) => {
          for (let i = 0; i < manifold.numContacts(); i++) impulse += manifold.contactImpulse(i);
        });
        const force = impulse / this.dt;
        const objectIndex = this.objectByCollider.get(other.handle);
        if (objectIndex !== undefined) {
          if (force > 0) perFinger[side].set(objectIndex, (perFinger[side].get(objectIndex) ?? 0) + force);
        } else if (this.staticColliders.has(other.handle)) {
          staticForce = Math.max(staticForce, force);
        }
      });
    });
    let palmTouches = false;
    this.world.contactPairsWith(gripper.palmCollider, (other) => {
      this.world.contactPair(gripper.palmCollider, other, (manifold) => {
        for (let i = 0; i < manifold.numContacts(); i++) if (manifold.contactDist(i) <= 0) palmTouches = true;
      });
    });
    return { perFinger, staticForce, palmTouches };
  }

  /** The dynamic and kinematic bodies in creation order: objects, palm, fingers, pusher. */
  private bodies(): RAPIER.RigidBody[] {
    const bodies = this.objects.map((o) => o.body);
    if (this.gripperOrNull) bodies.push(this.gripperOrNull.palm, ...this.gripperOrNull.fingers);
    if (this.pusherOrNull) bodies.push(this.pusherOrNull.body);
    return bodies;
  }

  /**
   * Every body's exact pose (x, y, z, qx, qy, qz, qw) in `bodies()` order. Rapier computes in
   * float32, so float32 holds the values to the last bit.
   */
  bodyPoses(): Float32Array {
    const bodies = this.bodies();
    const values = new Float32Array(bodies.length * 7);
    bodies.forEach((b, i) => {
      const p = b.translation();
      const q = b.rotation();
      const at = i * 7;
      values[at] = p.x;
      values[at + 1] = p.y;
      values[at + 2] = p.z;
      values[at + 3] = q.x;
      values[at + 4] = q.y;
      values[at + 5] = q.z;
      values[at + 6] = q.w;
    });
    return values;
  }

  /** A hash of the exact poses of every dynamic and kinematic body: two runs that agree on it agree to the last bit. */
  stateHash(): string {
    return hashPoses(this.bodyPoses());
  }

  /** Releases the WebAssembly memory. The world is unusable afterwards. */
  free(): void {
    this.world.free();
  }
}

/** `GraspWorld.stateHash` of the poses `bodyPoses` gave, so a recording's last frame can be checked against its row. */
export function hashPoses(poses: Float32Array): string {
  return hashFloats(Float64Array.from(poses));
}

function isAtRest(body: RAPIER.RigidBody): boolean {
  if (body.isSleeping()) return true;
  const v = body.linvel();
  const w = body.angvel();
  return Math.hypot(v.x, v.y, v.z) < REST_SPEED && Math.hypot(w.x, w.y, w.z) < REST_SPIN;
}
