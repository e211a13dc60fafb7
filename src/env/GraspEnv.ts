import type { ObjectDesc } from '../config/index.js';
import { sceneRng, STREAMS, type EpisodeKey, type Rng, type Vec3 } from '../core/index.js';
import {
  cameraModelOf,
  countSegments,
  objectSegmentId,
  SceneMirror,
  SoftwareRenderer,
  sensorView,
  type CameraModel,
  type Frame,
  type FrameRenderer,
} from '../render/index.js';
import {
  drawPush,
  GRASP_CLEARANCE,
  GraspWorld,
  initPhysics,
  isCovered,
  narrowestWidth,
  objectExtent,
  planLayout,
  planPush,
  type FingerContacts,
  type Task,
} from '../sim/index.js';
import { EpisodeMonitor } from './EpisodeMonitor.js';
import type { Action, GraspEnvLike, Observation, PerCamera, PrivilegedState, ResetInfo, StepResult } from './types.js';

type CameraName = keyof PerCamera<unknown>;

/** Physics steps allowed for the scene to come to rest at reset (10 s at 240 Hz). */
const SETTLE_CAP_SECONDS = 10;

interface Episode {
  key: EpisodeKey;
  gw: GraspWorld;
  mirror: SceneMirror;
  /** The step whose poses the mirror holds. */
  syncedAt: number;
  /** Each camera's frame of the current step, once rendered. */
  rendered: { scene: Frame | null; wrist: Frame | null };
  target: number;
  escaped: boolean[];
  monitor: EpisodeMonitor;
  t: number;
  contacts: FingerContacts;
  done: boolean;
}

/**
 * The grasping environment, in Gymnasium's shape: `reset(key)` builds the episode's scene from its
 * key alone, `step(action)` advances one control step (physicsHz / controlHz physics steps).
 * Ground truth (true state through `privileged()`, segment ids through `trueFrames()`) is for the
 * scripted expert, the metrics and oracles only; learned policies get observations: sensors.
 */
export class GraspEnv implements GraspEnvLike {
  private episode: Episode | null = null;
  private readonly substeps: number;
  private readonly horizonSteps: number;
  private readonly renderers: PerCamera<FrameRenderer>;
  private readonly segmentCounts = new Uint32Array(65536);

  private constructor(readonly task: Task) {
    const { controlHz, physicsHz, horizon } = task.spec.control;
    this.substeps = physicsHz / controlHz;
    this.horizonSteps = Math.round(horizon * controlHz);
    const { scene, wrist } = task.spec.cameras;
    this.renderers = { scene: new SoftwareRenderer(scene.width, scene.height), wrist: new SoftwareRenderer(wrist.width, wrist.height) };
  }

  /** Loads the physics engine (once per process) and makes an environment for the task. */
  static async create(task: Task): Promise<GraspEnv> {
    await initPhysics();
    return new GraspEnv(task);
  }

  /**
   * Starts the episode that `key` names. Same key, same scene, same target, bit for bit; keys that
   * differ only in occlusion share their scene and target.
   */
  reset(key: EpisodeKey): { observation: Observation; info: ResetInfo } {
    this.close();
    const spec = this.task.spec;
    const root = sceneRng(key);
    const sceneStream = root.stream(STREAMS.scene);
    const objects = this.chooseObjects(key, sceneStream);
    const placements = planLayout(spec.layout, objects, spec.bin.inner, sceneStream.stream('layout'));
    const gw = new GraspWorld(spec, objects, placements);
    const settle = gw.settle(Math.round(SETTLE_CAP_SECONDS * spec.control.physicsHz));
    const escaped = gw.objects.map((o) => gw.isOutsideBin(o.index));
    gw.addGripper();
    gw.step(); // one step so the gripper's contacts and the queries see it
    const mirror = new SceneMirror(gw, spec);

    // Visibility is what the scene camera shows at t = 0, gripper included.
    const counts = countSegments(this.renderers.scene.render(mirror.scene, mirror.sceneCamera), this.segmentCounts);
    const pixels = gw.objects.map((o) => (escaped[o.index] ? 0 : counts[objectSegmentId(o.index)]));
    const { target, fallback, candidates } = this.chooseTarget(gw, escaped, pixels, root.stream(STREAMS.target));
    const targetVisible = pixels[target] / Math.max(1, this.pixelsAlone(mirror, target));
    this.addPusher(key, gw, mirror, target, escaped);

    const monitor = new EpisodeMonitor(gw, target, spec.success, spec.control.controlHz);
    const contacts = gw.fingerContacts();
    this.episode = { key, gw, mirror, syncedAt: 0, rendered: { scene: null, wrist: null }, target, escaped, monitor, t: 0, contacts, done: false };
    const info: ResetInfo = {
      nObjects: objects.length,
      target,
      targetName: objects[target].name,
      targetPixels: pixels[target],
      targetVisible,
      settleSteps: settle.steps,
      settled: settle.settled,
      escapedAtReset: escaped.filter(Boolean).length,
      targetFallback: fallback,
      candidates,
      successAtReset: this.successAtReset(gw, contacts, monitor),
    };
    return { observation: this.observe(), info };
  }

  /**
   * The task's scripted pusher, if it has one: its distance, time and choice of push drawn from
   * the scene's own stream (so every occlusion level meets the same push), planned on the
   * settled scene. It comes after the target is chosen and does not change that choice. No push
   * fits (every slot taken, every path blocked): no pusher in this episode.
   */
  private addPusher(key: EpisodeKey, gw: GraspWorld, mirror: SceneMirror, target: number, escaped: boolean[]): void {
    const spec = this.task.spec;
    if (!spec.pusher) return;
    const draw = drawPush(spec.pusher, spec.control.controlHz, sceneRng(key).stream(STREAMS.pusher));
    const objects = gw.objects.map((o) => {
      const { position, rotation } = gw.objectPose(o.index);
      return { index: o.index, footprint: objectExtent(o.desc.shape, position, rotation).footprint, escaped: escaped[o.index] };
    });
    const plan = planPush(draw, objects, target, spec.pusher.pushes, spec.bin.inner);
    if (plan) mirror.addPusher(gw.addPusher(plan).collider);
  }

  /** The objects of the episode: the count from the key, then a draw from the task's pool. */
  private chooseObjects(key: EpisodeKey, rng: Rng): ObjectDesc[] {
    const n = rng.int(key.objects.min, key.objects.max);
    const pool = this.task.pool;
    const out: ObjectDesc[] = [];
    // Without replacement while the pool lasts (distinct colours in `cubes`), then again.
    while (out.length < n) out.push(...rng.shuffled(pool).slice(0, n - out.length));
    return out;
  }

  /** Pixels the object covers in the scene camera with nothing else in the scene. */
  private pixelsAlone(mirror: SceneMirror, index: number): number {
    const only = mirror.objectMeshes[index];
    const others = mirror.scene.children.filter((c) => c !== only && c !== mirror.sceneCamera);
    const wasVisible = others.map((c) => c.visible);
    for (const c of others) c.visible = false;
    const counts = countSegments(this.renderers.scene.render(mirror.scene, mirror.sceneCamera), this.segmentCounts);
    others.forEach((c, i) => (c.visible = wasVisible[i]));
    return counts[objectSegmentId(index)];
  }

  /**
   * Uniformly among objects that are in the bin, not covered by another, narrow enough for the
   * gripper and showing at least `target.minVisiblePixels` pixels to the scene camera. If none
   * qualifies, the most visible object in the bin, with a `fallback` flag.
   */
  private chooseTarget(gw: GraspWorld, escaped: boolean[], pixels: number[], rng: Rng): { target: number; fallback: boolean; candidates: number } {
    const spec = this.task.spec;
    const candidates = gw.objects
      .filter((o) => {
        if (escaped[o.index] || pixels[o.index] < spec.target.minVisiblePixels || isCovered(gw, o.index)) return false;
        const { position, rotation } = gw.objectPose(o.index);
        const width = narrowestWidth(objectExtent(o.desc.shape, position, rotation).footprint);
        return width + GRASP_CLEARANCE <= spec.gripper.maxOpening;
      })
      .map((o) => o.index);
    if (candidates.length > 0) return { target: rng.pick(candidates), fallback: false, candidates: candidates.length };
    let best = 0;
    for (let i = 1; i < pixels.length; i++) if (pixels[i] > pixels[best]) best = i;
    return { target: best, fallback: true, candidates: 1 };
  }

  /** Success conditions that hold before the policy acted: each must never fire on a valid scene. */
  private successAtReset(gw: GraspWorld, contacts: FingerContacts, monitor: EpisodeMonitor): string[] {
    const flags: string[] = [];
    if (gw.objects.some((o) => EpisodeMonitor.isHeld(contacts, o.index))) flags.push('held');
    if (monitor.liftedObjects().length > 0) flags.push('lifted');
    const liftHeight = this.task.spec.success.liftHeight;
    if (gw.objects.some((o) => {
      const { position, rotation } = gw.objectPose(o.index);
      return objectExtent(o.desc.shape, position, rotation).zMin >= liftHeight;
    })) flags.push('floating');
    return flags;
  }

  /** Advances one control step. A non-finite action ends the episode as `invalid_action`. */
  step(action: Action): StepResult {
    const ep = this.requireEpisode();
    if (ep.done) throw new Error('step() after the episode ended; call reset()');
    const gripper = ep.gw.gripper;
    if (![action.x, action.y, action.z, action.yaw, action.gripper].every(Number.isFinite)) {
      ep.monitor.markInvalidAction();
      return this.finish(ep, true);
    }
    gripper.setTarget(action);
    gripper.setCommand(action.gripper);
    for (let i = 0; i < this.substeps; i++) ep.gw.step();
    ep.t++;
    ep.contacts = ep.gw.fingerContacts();
    const decided = ep.monitor.observe(ep.contacts, gripper.gripperCommand(), gripper.tcp());
    const truncated = !decided && ep.t >= this.horizonSteps;
    if (decided || truncated) return this.finish(ep, decided);
    return { observation: this.observe(), terminated: false, truncated: false };
  }

  private finish(ep: Episode, terminated: boolean): StepResult {
    ep.done = true;
    return { observation: this.observe(), terminated, truncated: !terminated, outcome: ep.monitor.outcome() };
  }

  private observe(): Observation {
    const ep = this.requireEpisode();
    const gripper = ep.gw.gripper;
    let force = 0;
    for (const finger of ep.contacts.perFinger) for (const f of finger.values()) force += f;
    const t = ep.t;
    // Rendering is the dearest part of a step; it happens only if the policy looks.
    const frame = (camera: CameraName) => this.frameAt(ep, t, camera);
    const model = (camera: CameraName) => this.cameraAt(ep, t, camera);
    return {
      t,
      proprio: {
        palm: { ...gripper.palmPose() },
        opening: gripper.opening(),
        gripForce: force / 2,
        gripper: gripper.gripperCommand(),
      },
      frames: {
        get scene() { return sensorView(frame('scene')); },
        get wrist() { return sensorView(frame('wrist')); },
      },
      cameras: {
        get scene() { return model('scene'); },
        get wrist() { return model('wrist'); },
      },
    };
  }

  /** The mirror, synced to step t; only the current step of the current episode can be seen. */
  private mirrorAt(ep: Episode, t: number): SceneMirror {
    if (this.episode !== ep || ep.t !== t) {
      throw new Error(`frames of step ${t} are gone: the env has moved on; cloneFrame() the frames you keep`);
    }
    if (ep.syncedAt !== t) {
      ep.mirror.sync();
      ep.syncedAt = t;
      ep.rendered.scene = ep.rendered.wrist = null;
    }
    return ep.mirror;
  }

  private frameAt(ep: Episode, t: number, camera: CameraName): Frame {
    const mirror = this.mirrorAt(ep, t);
    return (ep.rendered[camera] ??= this.renderers[camera].render(mirror.scene, camera === 'scene' ? mirror.sceneCamera : mirror.wristCamera));
  }

  private cameraAt(ep: Episode, t: number, camera: CameraName): CameraModel {
    const mirror = this.mirrorAt(ep, t);
    const spec = this.task.spec.cameras[camera];
    return cameraModelOf(camera === 'scene' ? mirror.sceneCamera : mirror.wristCamera, spec.width, spec.height);
  }

  /** True state of the scene: for the expert and the metrics only. */
  privileged(): PrivilegedState {
    const ep = this.requireEpisode();
    const spec = this.task.spec;
    return {
      key: ep.key,
      target: ep.target,
      objects: ep.gw.objects.map((o) => {
        const { position, rotation } = ep.gw.objectPose(o.index);
        const extent = objectExtent(o.desc.shape, position, rotation);
        return { index: o.index, desc: o.desc, position, rotation, ...extent, escaped: ep.escaped[o.index] };
      }),
      bin: { inner: spec.bin.inner, wallHeight: spec.bin.wallHeight },
      gripper: { maxOpening: spec.gripper.maxOpening },
      ...(ep.gw.pusher ? { pushStep: ep.gw.pusher.record?.step ?? null, pushPlannedStep: ep.gw.pusher.plan.startStep } : {}),
    };
  }

  trueFrames(): PerCamera<Frame> {
    const ep = this.requireEpisode();
    const t = ep.t;
    const frame = (camera: CameraName) => this.frameAt(ep, t, camera);
    return {
      get scene() { return frame('scene'); },
      get wrist() { return frame('wrist'); },
    };
  }

  get unwrapped(): GraspEnv {
    return this;
  }

  setDistractor(pose: { position: Vec3; yaw: number } | null): void {
    const ep = this.requireEpisode();
    ep.mirror.setDistractor(pose);
    ep.rendered.scene = ep.rendered.wrist = null;
  }

  sceneCameraPosition(): Vec3 {
    const [x, y, z] = this.task.spec.cameras.scene.position;
    return { x, y, z };
  }

  /** Every body's exact pose now (x, y, z, qx, qy, qz, qw each), in the state hash's order: for the motion record. */
  bodyPoses(): Float32Array {
    return this.requireEpisode().gw.bodyPoses();
  }

  /** Hash of the exact physics state now. */
  stateHash(): string {
    return this.requireEpisode().gw.stateHash();
  }

  /** The live physics world, for tests and renderers that read it; never for policies. */
  get world(): GraspWorld {
    return this.requireEpisode().gw;
  }

  /** Frees the current episode's physics world and scene mirror. */
  close(): void {
    this.episode?.gw.free();
    this.episode?.mirror.dispose();
    this.episode = null;
  }

  private requireEpisode(): Episode {
    if (!this.episode) throw new Error('call reset() first');
    return this.episode;
  }
}
