import { AmbientLight, BoxGeometry, BufferGeometry, Color, ConeGeometry, DirectionalLight, EdgesGeometry, Group, LineBasicMaterial, LineSegments, Mesh, MeshLambertMaterial, Object3D, Scene, SphereGeometry, Vector3 } from 'three';
import { ConvexGeometry } from 'three/addons/geometries/ConvexGeometry.js';
import { POSE_STRIDE, type EpisodeMotion } from '../src/bench/record/EpisodeMotion.js';
import type { BoxLook, ObjectLook, TaskLook } from '../src/bench/report/ReportData.js';
import type { Point } from './closingMarks.js';

/** The fixed parts' colours, as the harness's renderer (SceneMirror) draws them. */
const COLOURS = { background: '#eef1f4', table: '#b9a88c', bin: '#5d6f82', gripper: '#3d4249', pusher: '#8a8f96', unknown: '#999999', target: '#ffd400', closing: '#e0102f', centroid: '#1f5fff' } as const;

/** An object whose name the report does not know is drawn as a 4 cm grey cube. */
const UNKNOWN: ObjectLook = { kind: 'box', colour: COLOURS.unknown, box: [0.04, 0.04, 0.04] };

/** An object's geometry as SceneMirror.geometryFor builds it: boxes are boxes, the rest convex hulls. */
function objectGeometry(look: ObjectLook): BufferGeometry {
  if ('box' in look) return new BoxGeometry(...look.box);
  const points: Vector3[] = [];
  for (let i = 0; i < look.hull.length; i += 3) points.push(new Vector3(look.hull[i], look.hull[i + 1], look.hull[i + 2]));
  return new ConvexGeometry(points);
}

const lambert = (colour: string) => new MeshLambertMaterial({ color: colour });

/** A body carrying a box collider at an offset, as the hand's parts are built. */
function boxBody(box: BoxLook, colour: string): Group {
  const body = new Group();
  const [hx, hy, hz] = box.halfExtents;
  const mesh = new Mesh(new BoxGeometry(2 * hx, 2 * hy, 2 * hz), lambert(colour));
  mesh.position.set(...box.offset);
  body.add(mesh);
  return body;
}

/**
 * One recorded episode as a three.js scene, z up: the table, the bin, the objects in their
 * catalog shapes and colours (the target outlined, with a marker above it), the palm, the two
 * fingers and the pusher, each body placed from the recorded poses of a frame; and, fixed, the
 * closing point (red, with a drop line to the floor) and the objects' centroid then (blue).
 */
export class ReplayScene {
  readonly scene = new Scene();
  /** One node per recorded body, in motion.bin's order: objects, palm, fingers, pusher. */
  private readonly bodies: Object3D[] = [];
  private readonly targetMarker: Mesh;
  frame = 0;

  constructor(readonly motion: EpisodeMotion, task: TaskLook, looks: Readonly<Record<string, ObjectLook>>, marks: { palm: Point; centroid: Point } | null) {
    this.scene.background = new Color(COLOURS.background);
    this.scene.add(new AmbientLight('#ffffff', 1.6));
    const sun = new DirectionalLight('#ffffff', 2.2);
    sun.position.set(0.3, -0.4, 1);
    this.scene.add(sun);
    this.addTableAndBin(task);
    motion.objects.forEach((name, i) => this.addBody(this.objectBody(looks[name] ?? UNKNOWN, i === motion.target)));
    this.addBody(boxBody(task.gripper.palm, COLOURS.gripper));
    for (const finger of task.gripper.fingers) this.addBody(boxBody(finger, COLOURS.gripper));
    if (motion.hasPusher && task.pusher) this.addBody(boxBody({ halfExtents: task.pusher, offset: [0, 0, 0] }, COLOURS.pusher));
    this.targetMarker = new Mesh(new ConeGeometry(0.008, 0.02, 16), lambert(COLOURS.target));
    this.targetMarker.rotation.x = -Math.PI / 2; // point down, at the target (a cone points along +y)
    this.scene.add(this.targetMarker);
    if (marks) this.addClosingMarks(marks.palm, marks.centroid);
    this.setFrame(0);
  }

  private addBody(body: Object3D): void {
    this.bodies.push(body);
    this.scene.add(body);
  }

  private objectBody(look: ObjectLook, target: boolean): Object3D {
    const geometry = objectGeometry(look);
    const mesh = new Mesh(geometry, lambert(look.colour));
    if (target) mesh.add(new LineSegments(new EdgesGeometry(geometry), new LineBasicMaterial({ color: COLOURS.target })));
    return mesh;
  }

  /** The table top is the bin floor, z = 0; the walls stand on it (GraspWorld builds the same boxes). */
  private addTableAndBin({ bin }: TaskLook): void {
    const [w, d] = bin.inner;
    const t = bin.wallThickness;
    const h = bin.wallHeight;
    const boxes: [string, number, number, number, number, number, number][] = [
      [COLOURS.table, 1, 1, 0.04, 0, 0, -0.02],
      [COLOURS.bin, w + 2 * t, t, h, 0, d / 2 + t / 2, h / 2],
      [COLOURS.bin, w + 2 * t, t, h, 0, -d / 2 - t / 2, h / 2],
      [COLOURS.bin, t, d, h, w / 2 + t / 2, 0, h / 2],
      [COLOURS.bin, t, d, h, -w / 2 - t / 2, 0, h / 2],
    ];
    for (const [colour, sx, sy, sz, x, y, z] of boxes) {
      const mesh = new Mesh(new BoxGeometry(sx, sy, sz), lambert(colour));
      mesh.position.set(x, y, z);
      this.scene.add(mesh);
    }
  }

  /** The marks are drawn over everything: the hand and the objects would hide them just where they matter. */
  private addClosingMarks(palm: Point, centroid: Point): void {
    const onTop = (node: Mesh | LineSegments) => {
      const material = node.material as MeshLambertMaterial | LineBasicMaterial;
      material.depthTest = false;
      node.renderOrder = 1;
      this.scene.add(node);
    };
    const ball = (at: Point, colour: string) => {
      const mesh = new Mesh(new SphereGeometry(0.006, 16, 12), lambert(colour));
      mesh.position.set(...at);
      onTop(mesh);
    };
    ball(palm, COLOURS.closing);
    ball(centroid, COLOURS.centroid);
    const line = (from: Point, to: Point, colour: string) =>
      onTop(new LineSegments(new BufferGeometry().setFromPoints([new Vector3(...from), new Vector3(...to)]), new LineBasicMaterial({ color: colour })));
    line(palm, [palm[0], palm[1], 0], COLOURS.closing);
    // The horizontal distance the averaging diagnostic measures, drawn on the floor.
    line([palm[0], palm[1], 0.001], [centroid[0], centroid[1], 0.001], COLOURS.centroid);
  }

  /** Places every body as frame t (0 .. steps) recorded it. */
  setFrame(t: number): void {
    this.frame = Math.max(0, Math.min(this.motion.steps, Math.round(t)));
    this.bodies.forEach((body, i) => {
      const p = this.pose(i);
      body.position.set(p[0], p[1], p[2]);
      body.quaternion.set(p[3], p[4], p[5], p[6]);
    });
    const target = this.bodies[this.motion.target];
    if (target) this.targetMarker.position.set(target.position.x, target.position.y, target.position.z + 0.045);
    this.scene.updateMatrixWorld();
  }

  /** Body i's pose at the frame shown: x, y, z, qx, qy, qz, qw. */
  pose(body: number): number[] {
    const at = (this.frame * this.motion.bodies + body) * POSE_STRIDE;
    return Array.from(this.motion.poses.subarray(at, at + POSE_STRIDE));
  }

  dispose(): void {
    this.scene.traverse((node) => {
      if (node instanceof Mesh || node instanceof LineSegments) {
        node.geometry.dispose();
        (node.material as MeshLambertMaterial).dispose();
      }
    });
  }
}
