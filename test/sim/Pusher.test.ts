import { afterAll, describe, expect, it } from 'vitest';
import { TaskSpecSchema } from '../../src/config/index.js';
import { polygonCentroid, sceneRng, STREAMS, type EpisodeKey } from '../../src/core/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { SEGMENT_IDS } from '../../src/render/index.js';
import { drawPush, planPush, resolveTask, type PushObject } from '../../src/sim/index.js';

const task = loadTask('nudge');
const spec = task.spec;
const pusherSpec = spec.pusher!;
const key = (index: number): EpisodeKey => ({ task: 'nudge', objects: { min: 3, max: 6 }, occlusion: 0, index });
/** The hand stays home: the pusher alone acts. */
const HOLD = { x: 0, y: 0, z: 0.3, yaw: 0, gripper: 0 };

const envs: GraspEnv[] = [];
afterAll(() => envs.forEach((e) => e.close()));
async function makeEnv(): Promise<GraspEnv> {
  const env = await GraspEnv.create(task);
  envs.push(env);
  return env;
}

/** Runs the episode with the hand at home for `steps` control steps; the pushed objects' footprints stay inside the bin all along. */
function runPush(env: GraspEnv, index: number, steps = 25) {
  const { info } = env.reset(key(index));
  const pusher = env.world.pusher;
  const [w, d] = spec.bin.inner;
  let inside = true;
  let sawPaddle = false;
  const start = env.privileged().objects.map((o) => polygonCentroid(o.footprint));
  for (let t = 0; t < steps; t++) {
    if (env.trueFrames().scene.ids.includes(SEGMENT_IDS.pusher)) sawPaddle = true;
    env.step(HOLD);
    for (const o of env.privileged().objects) {
      if (!o.footprint.every(([x, y]) => Math.abs(x) <= w / 2 && Math.abs(y) <= d / 2)) inside = false;
    }
  }
  const end = env.privileged().objects.map((o) => polygonCentroid(o.footprint));
  const moved = start.map(([x, y], i) => Math.hypot(end[i][0] - x, end[i][1] - y));
  return { info, pusher, inside, sawPaddle, moved };
}

describe('the scripted pusher (nudge)', () => {
  it('moves the target by the distance the key drew, at the drawn step, never out of the bin, and nothing else', async () => {
    const env = await makeEnv();
    let pushes = 0;
    for (let index = 0; index < 8; index++) {
      const { info, pusher, inside, moved } = runPush(env, index);
      expect(inside, `key ${index}`).toBe(true);
      if (!pusher) continue; // no push fitted this scene (about 1 in 16)
      pushes++;
      const drawn = drawPush(pusherSpec, spec.control.controlHz, sceneRng(key(index)).stream(STREAMS.pusher));
      expect(pusher.plan).toMatchObject({ pushed: info.target, target: info.target, distance: drawn.distance, startStep: drawn.startStep });
      expect(drawn.distance).toBeGreaterThanOrEqual(pusherSpec.distance.min);
      expect(drawn.distance).toBeLessThanOrEqual(pusherSpec.distance.max);
      expect(drawn.startStep / spec.control.controlHz).toBeGreaterThanOrEqual(pusherSpec.start.min);
      expect(drawn.startStep / spec.control.controlHz).toBeLessThanOrEqual(pusherSpec.start.max);
      const record = pusher.record!;
      expect(record.step).toBe(drawn.startStep);
      expect(pusher.blocked).toBe(false);
      const pushed = Math.hypot(record.targetAfter![0] - record.targetBefore[0], record.targetAfter![1] - record.targetBefore[1]);
      expect(Math.abs(pushed - drawn.distance), `key ${index}: pushed ${pushed}, drawn ${drawn.distance}`).toBeLessThan(0.01);
      expect(Math.abs(moved[info.target] - drawn.distance)).toBeLessThan(0.01);
      // Its path was clear: no other object moved.
      moved.forEach((m, i) => i !== info.target && expect(m, `key ${index}, object ${i}`).toBeLessThan(0.001));
      expect(pusher.stage()).toBe('leave');
    }
    expect(pushes).toBeGreaterThanOrEqual(6);
  });

  it('is seen by the cameras but is no object: never a target, not in the ground truth objects', async () => {
    const env = await makeEnv();
    const { info, pusher, sawPaddle } = runPush(env, 0, 8);
    expect(pusher).not.toBeNull();
    expect(sawPaddle).toBe(true);
    expect(env.privileged().objects).toHaveLength(info.nObjects);
    expect(info.target).toBeLessThan(info.nObjects);
  });

  it('replays to the bit: same key, same push, same state', async () => {
    const env = await makeEnv();
    const once = () => {
      const { pusher } = runPush(env, 3, 12);
      return { hash: env.stateHash(), record: JSON.stringify(pusher?.record) };
    };
    expect(once()).toEqual(once());
  });

  it('changes neither the scene nor the choice of target: it comes after both', async () => {
    const cubes = await GraspEnv.create(loadTask('cubes'));
    envs.push(cubes);
    // The same task with a pusher block: same id, so the same scene stream.
    const withPusher = await GraspEnv.create(resolveTask(TaskSpecSchema.parse({ ...loadTask('cubes').spec, pusher: {} }), 't.json'));
    envs.push(withPusher);
    for (const index of [0, 2, 5]) {
      const k = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index };
      expect(withPusher.reset(k).info).toEqual(cubes.reset(k).info);
      expect(withPusher.privileged().objects.map((o) => o.position)).toEqual(cubes.privileged().objects.map((o) => o.position));
    }
  });
});

describe('planPush', () => {
  const square = (cx: number, cy: number, half = 0.02) => [
    [cx - half, cy - half],
    [cx + half, cy - half],
    [cx + half, cy + half],
    [cx - half, cy + half],
  ] as const;
  const draw = { distance: 0.05, startStep: 5, pick: 0 };

  it('pushes along a face normal, from a free slot behind the object, and never towards a wall it would cross', () => {
    // Against the +x wall (1 cm of room): only the faces that keep it 1 cm inside the walls.
    const objects: PushObject[] = [{ index: 0, footprint: square(0.12, 0), escaped: false }];
    for (const pick of [0, 0.3, 0.6, 0.99]) {
      const plan = planPush({ ...draw, pick }, objects, 0, 'target', [0.3, 0.3])!;
      expect(plan).not.toBeNull();
      expect(Math.abs(plan.ux) + Math.abs(plan.uy)).toBeCloseTo(1, 9); // axis-aligned: a face normal
      expect(plan.ux).toBeLessThanOrEqual(0); // never further into the +x wall
      expect(plan.stroke).toBeCloseTo(0.005 + 0.05, 12);
    }
  });

  it('finds no push when every way is blocked or leads out', () => {
    // A target boxed in by four neighbours 1 cm away.
    const objects: PushObject[] = [
      { index: 0, footprint: square(0, 0), escaped: false },
      { index: 1, footprint: square(0.05, 0), escaped: false },
      { index: 2, footprint: square(-0.05, 0), escaped: false },
      { index: 3, footprint: square(0, 0.05), escaped: false },
      { index: 4, footprint: square(0, -0.05), escaped: false },
    ];
    expect(planPush(draw, objects, 0, 'target', [0.3, 0.3])).toBeNull();
  });

  it('pushes a neighbour into the target when asked to', () => {
    const objects: PushObject[] = [
      { index: 0, footprint: square(0, 0), escaped: false },
      { index: 1, footprint: square(-0.05, 0), escaped: false },
    ];
    const plan = planPush(draw, objects, 0, 'neighbour', [0.3, 0.3])!;
    expect(plan).toMatchObject({ pushed: 1, target: 0 });
    expect(plan.ux).toBeCloseTo(1, 12);
    // The gap between them (1 cm) is closed before the target moves.
    expect(plan.stroke).toBeCloseTo(0.005 + 0.01 + 0.05, 12);
  });
});

describe('pusher validation', () => {
  const nudge = (pusher: object, extra: object = {}) => TaskSpecSchema.parse({ id: 'n', objects: { count: 3, pool: ['cubes'] }, pusher, ...extra });

  it('refuses a push that cannot fit the bin from its centre, naming the field', () => {
    expect(() => resolveTask(nudge({ distance: { min: 0.05, max: 0.2 } }), 'n.json')).toThrow(
      /^n\.json: pusher\.distance\.max: 20\.0 cm pushes objects out of the bin: the 30\.0 cm bin leaves "cube_\w+" at most 10\.5 cm from its centre to 1\.0 cm inside a wall$/,
    );
    expect(() => resolveTask(nudge({ distance: { min: 0.05, max: 0.1 } }), 'n.json')).not.toThrow();
    expect(() => resolveTask(nudge({ distance: { min: 0.03, max: 0.06 } }, { bin: { inner: [0.15, 0.3] } }), 'n.json')).toThrow(/the 15\.0 cm bin/);
  });

  it('refuses a start window with no control step, or past the horizon', () => {
    expect(() => resolveTask(nudge({ start: { min: 0.31, max: 0.39 } }), 'n.json')).toThrow(/pusher\.start: no control step/);
    expect(() => resolveTask(nudge({ start: { min: 1, max: 20 } }), 'n.json')).toThrow(/pusher\.start\.max: 20 s is not before the episode ends \(control\.horizon: 12 s\)/);
  });

  it('fills the defaults, and is absent unless asked for', () => {
    expect(nudge({}).pusher).toEqual({ distance: { min: 0.03, max: 0.06 }, start: { min: 0.3, max: 0.7 }, speed: 0.2, pushes: 'target' });
    expect(TaskSpecSchema.parse({ id: 'n', objects: { count: 3, pool: ['cubes'] } }).pusher).toBeUndefined();
  });
});
