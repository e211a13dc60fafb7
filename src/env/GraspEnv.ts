import type { ObjectDesc } from '../config/index.js';
import { sceneRng, STREAMS, type EpisodeKey, type Rng } from '../core/index.js';
import {
  GRASP_CLEARANCE,
  GraspWorld,
  initPhysics,
  isCovered,
  narrowestWidth,
  objectExtent,
  planLayout,
  visibleFraction,
  type FingerContacts,
  type Task,
} from '../sim/index.js';
import { EpisodeMonitor } from './EpisodeMonitor.js';
import type { Action, Observation, PrivilegedState, ResetInfo, StepResult } from './types.js';

/** Physics steps allowed for the scene to come to rest at reset (10 s at 240 Hz). */
const SETTLE_CAP_SECONDS = 10;

interface Episode {
  key: EpisodeKey;
  gw: GraspWorld;
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
 * Privileged true state is available through `privileged()`, for the scripted expert and the
 * metrics only; learned policies get observations.
 */
export class GraspEnv {
  private episode: Episode | null = null;
  private readonly substeps: number;
  private readonly horizonSteps: number;

  private constructor(readonly task: Task) {
    const { controlHz, physicsHz, horizon } = task.spec.control;
    this.substeps = physicsHz / controlHz;
    this.horizonSteps = Math.round(horizon * controlHz);
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
    const eye = { x: spec.camera.position[0], y: spec.camera.position[1], z: spec.camera.position[2] };
    const visible = gw.objects.map((o) => (escaped[o.index] ? 0 : visibleFraction(gw, o.index, eye)));
    const { target, fallback } = this.chooseTarget(gw, escaped, visible, root.stream(STREAMS.target));
    gw.addGripper();
    gw.step(); // one step so the gripper's contacts and the queries see it

    const monitor = new EpisodeMonitor(gw, target, spec.success, spec.control.controlHz);
    const contacts = gw.fingerContacts();
    this.episode = { key, gw, target, escaped, monitor, t: 0, contacts, done: false };
    const info: ResetInfo = {
      nObjects: objects.length,
      target,
      targetName: objects[target].name,
      targetVisible: visible[target],
      settleSteps: settle.steps,
      settled: settle.settled,
      escapedAtReset: escaped.filter(Boolean).length,
      targetFallback: fallback,
      successAtReset: this.successAtReset(gw, contacts, monitor),
    };
    return { observation: this.observe(), info };
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

  /**
   * Uniformly among objects that are in the bin, not covered by another, narrow enough for the
   * gripper and visible enough from the scene camera. If none qualifies, the most visible object
   * in the bin, with a `fallback` flag.
   */
  private chooseTarget(gw: GraspWorld, escaped: boolean[], visible: number[], rng: Rng): { target: number; fallback: boolean } {
    const spec = this.task.spec;
    const candidates = gw.objects
      .filter((o) => {
        if (escaped[o.index] || visible[o.index] < spec.target.minVisibleFraction || isCovered(gw, o.index)) return false;
        const { position, rotation } = gw.objectPose(o.index);
        const width = narrowestWidth(objectExtent(o.desc.shape, position, rotation).footprint);
        return width + GRASP_CLEARANCE <= spec.gripper.maxOpening;
      })
      .map((o) => o.index);
    if (candidates.length > 0) return { target: rng.pick(candidates), fallback: false };
    let best = 0;
    for (let i = 1; i < visible.length; i++) if (visible[i] > visible[best]) best = i;
    return { target: best, fallback: true };
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
    return {
      t: ep.t,
      proprio: {
        palm: { ...gripper.palmPose() },
        opening: gripper.opening(),
        gripForce: force / 2,
        gripper: gripper.gripperCommand(),
      },
    };
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
    };
  }

  /** Hash of the exact physics state now. */
  stateHash(): string {
    return this.requireEpisode().gw.stateHash();
  }

  /** The live physics world, for tests and renderers that read it; never for policies. */
  get world(): GraspWorld {
    return this.requireEpisode().gw;
  }

  /** Frees the current episode's physics world. */
  close(): void {
    this.episode?.gw.free();
    this.episode = null;
  }

  private requireEpisode(): Episode {
    if (!this.episode) throw new Error('call reset() first');
    return this.episode;
  }
}
