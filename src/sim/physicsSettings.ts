import RAPIER from '@dimforge/rapier3d-deterministic-compat';

/**
 * Every physics setting that makes small-object grasping work in Rapier, in one place. The values
 * were measured on this project's machines (see DESIGN.md, "Facts measured"); each says why.
 */
export const PHYSICS = {
  gravity: { x: 0, y: 0, z: -9.81 },
  /** Rapier's tolerances (contact prediction, allowed penetration, sleep thresholds) scale with
   *  the length unit. Its default (1 m) suits metre-sized bodies; for 3-8 cm objects it let fingers
   *  pass through objects or push them from ~17 mm away. 0.1 fixes both. */
  lengthUnit: 0.1,
  /** Contact stiffness. The default 30 Hz let fingers sink 27-30 mm into objects under grip;
   *  120 Hz keeps penetration to about a millimetre at dt = 1/240. */
  contactNaturalFrequency: 120,
  /** 4 PGS iterations (Rapier's default) were enough for a stable two-finger grip. */
  solverIterations: 4,
  /** Coulomb friction; Rapier averages the two colliders' coefficients. */
  objectFriction: 0.8,
  fingerFriction: 1.0,
  binFriction: 0.6,
  /** Objects bounce little: wood and plastic on wood. */
  restitution: 0.05,
  /** Finger bodies: light dynamic bodies on force-limited position motors. Kinematic fingers were
   *  tried and failed: their contact forces jumped between 0 and 100 N. */
  fingerMass: 0.2,
  fingerMotorStiffness: 2000,
  fingerMotorDamping: 50,
} as const;

let ready: Promise<void> | undefined;

/** Loads Rapier's WebAssembly once per process (or worker). */
export function initPhysics(): Promise<void> {
  ready ??= RAPIER.init();
  return ready;
}

/** A new, empty Rapier world with the project's settings. `initPhysics` must have resolved. */
export function createWorld(physicsHz: number): RAPIER.World {
  const world = new RAPIER.World(PHYSICS.gravity);
  world.timestep = 1 / physicsHz;
  world.lengthUnit = PHYSICS.lengthUnit;
  world.numSolverIterations = PHYSICS.solverIterations;
  world.integrationParameters.contact_natural_frequency = PHYSICS.contactNaturalFrequency;
  return world;
}

export { RAPIER };
