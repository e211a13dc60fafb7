import { clamp, polygonCentroid, stepPoseTowards, wrapAngle, type PalmPose, type Point2 } from '../../core/index.js';
import type { Action, Observation, PrivilegedState } from '../../env/index.js';
import type { Policy, PolicyContext, RobotInfo } from '../Policy.js';
import { planGrasp, type GraspPlan } from './planGrasp.js';

type Phase = 'retreat' | 'approach' | 'descend' | 'close' | 'lift';

interface ExpertState {
  phase: Phase;
  /** Control steps spent in the current phase. */
  stepsInPhase: number;
  plan: GraspPlan;
  /** The target's footprint centroid when the plan was made. */
  seenAt: Point2;
  /** `retreat`: where the hand was when the target moved; it rises straight up from there. */
  from?: PalmPose;
}

/** Clearance above the tallest object while travelling, metres. */
const TRAVEL_CLEARANCE = 0.08;
/**
 * How close counts as arrived above the grasp: position (m) and yaw (rad). The descent keeps
 * steering to the plan, so the last centimetre and degrees are made up on the way down (8 cm of
 * clearance and more). Tighter triggers (3 mm, 0.03 rad) were more than a learned head imitates:
 * a head a few millimetres off its own estimate of the target hovered above it until timeout.
 */
const ARRIVED = 0.01;
const ARRIVED_YAW = 0.1;
/**
 * In a task with a pusher, once it has pushed, a target that has moved this far (m) from where
 * the plan saw it while the hand descends sends the expert back: straight up to the travel height
 * (`retreat`), then the approach over its new place, and down again. Without a push the plan
 * holds from the descent on, as it always has (a finger may nudge the target a centimetre or two
 * in a pile; closing on it anyway is what the expert's figures were measured with).
 */
const MOVED = 0.01;
/** Control time given to the fingers to close before lifting, seconds. */
const CLOSE_SECONDS = 0.5;
/** Lift this far above the grasp height: the success height plus a margin. */
const LIFT = 0.2;

/**
 * The privileged scripted expert: moves above the target, turns to the planned yaw, pre-shapes
 * the fingers to the object's width plus 1.5 cm, descends, closes, lifts and holds. Its actions
 * are palm waypoints; its chunks roll its own phase machine forward over a model of the palm's
 * speed limits, so they are the actions it would really emit.
 */
export class ScriptedExpert implements Policy {
  readonly name = 'expert';
  readonly privileged = true;
  private ctx: PolicyContext | null = null;
  private state: ExpertState | null = null;

  constructor(readonly chunkSize = 10) {}

  reset(ctx: PolicyContext): void {
    if (!ctx.groundTruth) throw new Error('the scripted expert needs the ground-truth channel');
    this.ctx = ctx;
    this.state = null;
  }

  act(observation: Observation): Action[] {
    const ctx = this.ctx;
    if (!ctx?.groundTruth) throw new Error('reset() first');
    const scene = ctx.groundTruth.state();
    const palm = observation.proprio.palm;
    // Replan while travelling (the scene may still shift); commit once the hand descends, unless
    // the target moves away before the fingers close.
    const seenAt = polygonCentroid(scene.objects[scene.target].footprint);
    const state0 = this.state;
    if (!state0 || state0.phase === 'approach' || state0.phase === 'retreat') {
      const preferredYaw = state0?.plan.yaw ?? palm.yaw;
      this.state = { ...state0, phase: state0?.phase ?? 'approach', stepsInPhase: state0?.stepsInPhase ?? 0, plan: planGrasp(scene, preferredYaw), seenAt };
    } else if (state0.phase === 'descend' && this.targetMovedAway(scene, state0.seenAt, seenAt)) {
      this.state = { phase: 'retreat', stepsInPhase: 0, plan: planGrasp(scene, state0.plan.yaw), seenAt, from: { ...palm } };
    }
    const travelZ = this.travelHeight(scene);
    const chunk: Action[] = [];
    let state = this.state!;
    let pose: PalmPose = { ...palm };
    for (let k = 0; k < this.chunkSize; k++) {
      state = advance(state, pose, travelZ, ctx.robot);
      const action = actionFor(state, travelZ, ctx.robot);
      if (k === 0) this.state = state;
      chunk.push(action);
      pose = movePalm(pose, action, ctx.robot);
    }
    return chunk;
  }

  private targetMovedAway(scene: PrivilegedState, before: Point2, now: Point2): boolean {
    return scene.pushStep != null && Math.hypot(now[0] - before[0], now[1] - before[1]) > MOVED;
  }

  private travelHeight(scene: PrivilegedState): number {
    const tallest = Math.max(...scene.objects.filter((o) => !o.escaped).map((o) => o.zMax), scene.bin.wallHeight);
    return tallest + TRAVEL_CLEARANCE;
  }
}

/** The phase the expert is in after seeing the palm at `pose`. */
function advance(state: ExpertState, pose: PalmPose, travelZ: number, robot: RobotInfo): ExpertState {
  const { plan } = state;
  const next = (phase: Phase): ExpertState => ({ ...state, phase, stepsInPhase: 0 });
  const stay: ExpertState = { ...state, stepsInPhase: state.stepsInPhase + 1 };
  switch (state.phase) {
    case 'retreat':
      return pose.z >= travelZ - ARRIVED ? next('approach') : stay;
    case 'approach':
      return Math.hypot(pose.x - plan.x, pose.y - plan.y) < ARRIVED && Math.abs(wrapAngle(pose.yaw - plan.yaw)) < ARRIVED_YAW
        ? next('descend')
        : stay;
    case 'descend':
      return Math.abs(pose.z - plan.z) < ARRIVED ? next('close') : stay;
    case 'close':
      return state.stepsInPhase + 1 >= Math.round(CLOSE_SECONDS * robot.controlHz) ? next('lift') : stay;
    case 'lift':
      return stay;
  }
}

function actionFor(state: ExpertState, travelZ: number, robot: RobotInfo): Action {
  const { plan } = state;
  const preShape = clamp(1 - plan.opening / robot.maxOpening, 0, 1);
  switch (state.phase) {
    case 'retreat':
      return { x: state.from!.x, y: state.from!.y, z: travelZ, yaw: state.from!.yaw, gripper: preShape };
    case 'approach':
      return { x: plan.x, y: plan.y, z: travelZ, yaw: plan.yaw, gripper: preShape };
    case 'descend':
      return { x: plan.x, y: plan.y, z: plan.z, yaw: plan.yaw, gripper: preShape };
    case 'close':
      return { x: plan.x, y: plan.y, z: plan.z, yaw: plan.yaw, gripper: 1 };
    case 'lift':
      return { x: plan.x, y: plan.y, z: plan.z + LIFT, yaw: plan.yaw, gripper: 1 };
  }
}

/** Where the palm will be one control step later, moving at its speed limits (as the Gripper does). */
function movePalm(pose: PalmPose, action: Action, robot: RobotInfo): PalmPose {
  const dt = 1 / robot.controlHz;
  return stepPoseTowards({ ...pose }, action, robot.maxSpeed * dt, robot.maxYawRate * dt);
}
