import { afterEach, describe, expect, it } from 'vitest';
import { TaskSpecSchema } from '../../src/config/index.js';
import { quatFromYaw } from '../../src/core/index.js';
import { CATALOG, GraspWorld, initPhysics } from '../../src/sim/index.js';

await initPhysics();
const spec = TaskSpecSchema.parse({ id: 't', objects: { count: 1, pool: ['cubes'] } });
const worlds: GraspWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.free()));

function oneCube(x = 0.02, y = 0.01, yaw = 0.3) {
  const gw = new GraspWorld(spec, [CATALOG.get('cube_red')!], [{ position: { x, y, z: 0.021 }, rotation: quatFromYaw(yaw) }]);
  worlds.push(gw);
  return gw;
}

/** Holds a palm target and gripper command for `seconds` of physics. */
function hold(gw: GraspWorld, target: { x: number; y: number; z: number; yaw: number }, command: number, seconds: number) {
  gw.gripper.setTarget(target);
  gw.gripper.setCommand(command);
  for (let i = 0; i < seconds * 240; i++) gw.step();
}

/** Settles a cube, brings the pre-shaped hand down around it (checking the opening) and closes. */
function closeOnCube() {
  const gw = oneCube();
  gw.settle(2400);
  gw.addGripper();
  const { x, y } = gw.objectPose(0).position;
  hold(gw, { x, y, z: 0.15, yaw: 0.3 }, 0.3, 1);
  hold(gw, { x, y, z: 0.025, yaw: 0.3 }, 0.3, 1);
  expect(gw.gripper.opening()).toBeCloseTo(0.07, 3);
  hold(gw, { x, y, z: 0.025, yaw: 0.3 }, 1, 0.5);
  return { gw, x, y };
}

describe('GraspWorld', () => {
  it('settles a cube onto the floor at half its size', () => {
    const gw = oneCube();
    const { settled } = gw.settle(2400);
    expect(settled).toBe(true);
    expect(gw.objects[0].restZ).toBeCloseTo(0.02, 3);
  });

  it('closes the gripper on a cube and lifts it, holding it with the motors\' full force', () => {
    const { gw, x, y } = closeOnCube();
    // Closed on the 4 cm cube: the pads sink no more than a millimetre.
    expect(gw.gripper.opening()).toBeGreaterThan(0.039);
    expect(gw.gripper.opening()).toBeLessThan(0.0405);
    hold(gw, { x, y, z: 0.225, yaw: 0.3 }, 1, 1.5);
    expect(gw.liftOf(0)).toBeGreaterThan(0.19);
    const contacts = gw.fingerContacts();
    for (const finger of contacts.perFinger) expect(finger.get(0)).toBeCloseTo(10, 1);
    expect(gw.isUnstable()).toBe(false);
  });

  it('lets the cube drop when the gripper opens', () => {
    const { gw, x, y } = closeOnCube();
    hold(gw, { x, y, z: 0.2, yaw: 0.3 }, 1, 1);
    expect(gw.liftOf(0)).toBeGreaterThan(0.1);
    hold(gw, { x, y, z: 0.2, yaw: 0.3 }, 0, 1);
    expect(gw.liftOf(0)).toBeLessThan(0.01);
  });

  it('gives the same state hash for the same steps, and another for another placement', () => {
    const run = (x: number) => {
      const gw = oneCube(x);
      gw.settle(2400);
      gw.addGripper();
      hold(gw, { x, y: 0, z: 0.1, yaw: 0 }, 0.5, 0.5);
      return gw.stateHash();
    };
    expect(run(0.02)).toBe(run(0.02));
    expect(run(0.02)).not.toBe(run(0.03));
  });
});
