import { BoxGeometry, BufferGeometry, Mesh, MeshLambertMaterial, Object3D, PerspectiveCamera, Scene, Vector3 } from 'three';
import { ConvexGeometry } from 'three/addons/geometries/ConvexGeometry.js';
import type { ShapeDesc, TaskSpec } from '../config/index.js';
import { GRIPPER_GEOMETRY, supportPoints, type GraspWorld, type RAPIER } from '../sim/index.js';
import { objectSegmentId, SEGMENT_IDS } from './segmentIds.js';

/** Colours of the fixed parts (objects carry their catalog colour). */
const COLOURS = { table: '#b9a88c', bin: '#5d6f82', gripper: '#3d4249', pusher: '#8a8f96', distractor: '#e8e8e8' } as const;

/**
 * The wrist camera, in the TCP frame (metres): mounted behind and above the hand, as a RealSense
 * on a wrist is, and aimed at the point between the fingertips, so that the fingers and what is
 * between them stay in view from approach to grasp.
 */
export const WRIST_CAMERA = { position: [0, -0.09, 0.05], aim: [0, 0, -GRIPPER_GEOMETRY.tipBelowTcp] } as const;

/** Geometry of an object shape, matching the physics: boxes are boxes, the rest convex hulls. */
export function geometryFor(shape: ShapeDesc): BufferGeometry {
  if (shape.kind === 'box') return new BoxGeometry(...shape.size);
  return new ConvexGeometry(supportPoints(shape).map((p) => new Vector3(p.x, p.y, p.z)));
}

/** A scene camera from the task spec: positioned, z up, looking at its target. */
export function makeSceneCamera(spec: TaskSpec['cameras']['scene']): PerspectiveCamera {
  const camera = new PerspectiveCamera(spec.fov, spec.width / spec.height, 0.05, 5);
  const [px, py, pz] = spec.position;
  const [tx, ty, tz] = spec.lookAt;
  camera.position.set(px, py, pz);
  // three's lookAt needs an up that is not along the view: looking straight down, take +y.
  const vertical = Math.abs(pz - tz) / Math.hypot(px - tx, py - ty, pz - tz);
  camera.up.set(0, vertical > 0.999 ? 1 : 0, vertical > 0.999 ? 0 : 1);
  camera.lookAt(tx, ty, tz);
  camera.updateMatrixWorld();
  return camera;
}

/**
 * A three.js mirror of one episode's Rapier world: a mesh per collider (table, bin walls,
 * objects, palm, fingers, the pusher once added) carrying its segment id, and the two cameras.
 * `sync()` copies the physics poses into the meshes without allocating.
 */
export class SceneMirror {
  readonly scene = new Scene();
  readonly sceneCamera: PerspectiveCamera;
  readonly wristCamera: PerspectiveCamera;
  readonly objectMeshes: Mesh[] = [];
  private readonly pairs: { mesh: Mesh; collider: RAPIER.Collider }[] = [];
  /** A render-only card for the occlusion stress test; hidden unless placed. */
  private readonly distractor: Mesh;
  /** Follows the palm body: the TCP frame, which carries the wrist camera. */
  private readonly tcp = new Object3D();
  private readonly palmBody: RAPIER.RigidBody;

  constructor(gw: GraspWorld, spec: TaskSpec) {
    for (const { collider, part } of gw.staticParts) {
      this.add(cuboidGeometry(collider), COLOURS[part], SEGMENT_IDS[part], collider);
    }
    for (const o of gw.objects) {
      this.objectMeshes.push(this.add(geometryFor(o.desc.shape), o.desc.colour, objectSegmentId(o.index), o.collider));
    }
    const gripper = gw.gripper;
    for (const part of [gripper.palmCollider, ...gripper.fingerColliders]) this.add(cuboidGeometry(part), COLOURS.gripper, SEGMENT_IDS.gripper, part);
    this.palmBody = gripper.palm;

    this.distractor = new Mesh(new BoxGeometry(0.12, 0.12, 0.004), new MeshLambertMaterial({ color: COLOURS.distractor }));
    this.distractor.userData.segmentId = SEGMENT_IDS.distractor;
    this.distractor.visible = false;
    this.scene.add(this.distractor);

    this.sceneCamera = makeSceneCamera(spec.cameras.scene);
    this.scene.add(this.sceneCamera);
    const wrist = spec.cameras.wrist;
    this.wristCamera = new PerspectiveCamera(wrist.fov, wrist.width / wrist.height, 0.01, 2);
    const [px, py, pz] = WRIST_CAMERA.position;
    const [, ay, az] = WRIST_CAMERA.aim;
    this.wristCamera.position.set(px, py, pz);
    // A tilt about the palm's x axis points the camera's -z at the aim; image up is the palm's +y.
    this.wristCamera.rotation.x = Math.atan2(ay - py, pz - az);
    this.tcp.add(this.wristCamera);
    this.scene.add(this.tcp);
    this.sync();
  }

  private add(geometry: BufferGeometry, colour: string, segmentId: number, collider: RAPIER.Collider): Mesh {
    const mesh = new Mesh(geometry, new MeshLambertMaterial({ color: colour }));
    mesh.userData.segmentId = segmentId;
    this.scene.add(mesh);
    this.pairs.push({ mesh, collider });
    return mesh;
  }

  /** Copies every collider's world pose into its mesh, then updates the world matrices. */
  sync(): void {
    for (const { mesh, collider } of this.pairs) {
      collider.translation(mesh.position);
      collider.rotation(mesh.quaternion);
    }
    this.palmBody.translation(this.tcp.position);
    this.palmBody.rotation(this.tcp.quaternion);
    this.scene.updateMatrixWorld();
  }

  /** Mirrors the task's scripted pusher (added to the world after the target is chosen). */
  addPusher(collider: RAPIER.Collider): void {
    this.add(cuboidGeometry(collider), COLOURS.pusher, SEGMENT_IDS.pusher, collider);
    this.sync();
  }

  /** Shows the distractor card at a pose (flat, turned by yaw), or hides it. */
  setDistractor(pose: { position: { x: number; y: number; z: number }; yaw: number } | null): void {
    this.distractor.visible = pose !== null;
    if (!pose) return;
    this.distractor.position.set(pose.position.x, pose.position.y, pose.position.z);
    this.distractor.rotation.set(0, 0, pose.yaw);
    this.distractor.updateMatrixWorld();
  }

  /** Frees the meshes' geometry and materials. */
  dispose(): void {
    for (const mesh of [...this.pairs.map((p) => p.mesh), this.distractor]) {
      mesh.geometry.dispose();
      (mesh.material as MeshLambertMaterial).dispose();
    }
  }
}

function cuboidGeometry(collider: RAPIER.Collider): BoxGeometry {
  const h = collider.halfExtents();
  if (!h) throw new Error('expected a cuboid collider');
  return new BoxGeometry(2 * h.x, 2 * h.y, 2 * h.z);
}
