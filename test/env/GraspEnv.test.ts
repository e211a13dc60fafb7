import { afterAll, describe, expect, it } from 'vitest';
import { GraspEnv, loadTask, type Action } from '../../src/env/index.js';

const cubes = await GraspEnv.create(loadTask('cubes'));
const other = await GraspEnv.create(loadTask('cubes'));
afterAll(() => [cubes, other].forEach((e) => e.close()));

const key = (index: number, min = 3, max = 6, task = 'cubes') => ({ task, objects: { min, max }, occlusion: 0, index });
const stay = (env: GraspEnv): Action => ({ ...env.privileged().objects[0].position, z: 0.3, yaw: 0, gripper: 0 });

describe('GraspEnv.reset', () => {
  it('builds the scene from the key alone: same key, same state, in any env', () => {
    const a = cubes.reset(key(7));
    cubes.reset(key(3)); // another episode in between must not matter
    const b = other.reset(key(7));
    expect(b.info).toEqual(a.info);
    cubes.reset(key(7));
    expect(other.stateHash()).toBe(cubes.stateHash());
    other.reset(key(8));
    expect(other.stateHash()).not.toBe(cubes.stateHash());
  });

  it('draws the object count from the key range, and distinct cubes', () => {
    const counts = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const { info } = cubes.reset(key(i));
      counts.add(info.nObjects);
      const names = cubes.privileged().objects.map((o) => o.desc.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect([...counts].sort()).toEqual([3, 4, 5, 6]);
  });

  it.each([
    ['cubes', 3, 6],
    ['pile', 8, 8],
    ['packed', 4, 8],
  ])('%s: picks a visible target and never starts with a success condition true', async (task, min, max) => {
    const env = await GraspEnv.create(loadTask(task));
    try {
      for (let i = 0; i < 10; i++) {
        const { info } = env.reset(key(i, min, max, task));
        expect(info.successAtReset).toEqual([]);
        expect(info.targetFallback).toBe(false);
        expect(info.targetVisible).toBeGreaterThanOrEqual(0.3);
      }
    } finally {
      env.close();
    }
  });

  it('starts the hand open at its home pose', () => {
    const { observation } = cubes.reset(key(0));
    expect(observation.t).toBe(0);
    expect(observation.proprio.palm).toEqual({ x: 0, y: 0, z: 0.3, yaw: 0 });
    expect(observation.proprio.opening).toBeCloseTo(0.1, 3);
    expect(observation.proprio.gripForce).toBe(0);
  });
});

describe('GraspEnv.step', () => {
  it('ends the episode on a non-finite action, as invalid_action', () => {
    cubes.reset(key(1));
    const result = cubes.step({ x: NaN, y: 0, z: 0.2, yaw: 0, gripper: 0 });
    expect(result.terminated).toBe(true);
    expect(result.outcome?.failureReason).toBe('invalid_action');
    expect(() => cubes.step(stay(cubes))).toThrow(/after the episode ended/);
  });

  it('truncates at the horizon, as timeout, when the hand never closes', () => {
    cubes.reset(key(2));
    const action = stay(cubes);
    let steps = 0;
    for (;;) {
      const r = cubes.step(action);
      steps++;
      if (r.outcome) {
        expect(r.truncated).toBe(true);
        expect(r.outcome.failureReason).toBe('timeout');
        expect(r.outcome.successAny).toBe(false);
        break;
      }
    }
    expect(steps).toBe(120);
  });

  /** Drives the hand down around object `index`, closes, lifts to `liftZ`, then does `after`. */
  function grasp(index: number, liftZ: number, after: 'hold' | 'open') {
    const { x, y } = cubes.privileged().objects[index].position;
    const plan = (t: number): Action => {
      if (t < 12) return { x, y, z: t < 8 ? 0.15 : 0.025, yaw: 0, gripper: 0.25 };
      if (t < 17) return { x, y, z: 0.025, yaw: 0, gripper: 1 };
      if (t < 30 || after === 'hold') return { x, y, z: liftZ, yaw: 0, gripper: 1 };
      return { x, y, z: liftZ, yaw: 0, gripper: 0 };
    };
    for (let t = 0; ; t++) {
      const r = cubes.step(plan(t));
      if (r.outcome) return r;
    }
  }

  it('reports wrong_object, and success_any, when another object is lifted and held', () => {
    const { info } = cubes.reset(key(0, 3, 3));
    const other = (info.target + 1) % 3;
    const r = grasp(other, 0.225, 'hold');
    expect(r.terminated).toBe(true);
    expect(r.outcome).toMatchObject({ successTarget: false, successAny: true, liftedObject: other, failureReason: 'wrong_object' });
  });

  it('reports slipped when the target comes up between the pads and is then lost', () => {
    const { info } = cubes.reset(key(0, 3, 3));
    const r = grasp(info.target, 0.08, 'open');
    expect(r.outcome).toMatchObject({ successTarget: false, successAny: false, failureReason: 'slipped' });
  });

  it('succeeds when the same hand motion takes the target up and holds it', () => {
    const { info } = cubes.reset(key(0, 3, 3));
    const r = grasp(info.target, 0.225, 'hold');
    expect(r.outcome).toMatchObject({ successTarget: true, successAny: true, liftedObject: info.target, failureReason: null });
  });

  it('reports missed when the hand closes on empty space', () => {
    cubes.reset(key(4, 1, 1));
    const cube = cubes.privileged().objects[0].position;
    const away = { x: -Math.sign(cube.x || 1) * 0.06, y: -Math.sign(cube.y || 1) * 0.06 };
    let outcome;
    for (let t = 0; !outcome; t++) {
      const z = t < 15 ? 0.025 : 0.2;
      outcome = cubes.step({ ...away, z, yaw: 0, gripper: t < 10 ? 0 : 1 }).outcome;
    }
    expect(outcome.failureReason).toBe('missed');
    expect(outcome.graspError).toBeGreaterThan(0.05);
  });
});
