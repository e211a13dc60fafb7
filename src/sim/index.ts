export { PHYSICS, initPhysics, createWorld, RAPIER } from './physicsSettings.js';
export { CATALOG, CATALOG_GROUPS } from './ObjectCatalog.js';
export { supportPoints, footprintRadius, largestExtent, colliderFor } from './shapeGeometry.js';
export { type ObjectExtent, objectExtent, widthAtYaw, narrowestWidth } from './objectExtent.js';
export { type Layout, type Placement, planLayout, SpawnError } from './Spawner.js';
export { Gripper, GRIPPER_GEOMETRY, palmHalfLength, type GripperSpec } from './Gripper.js';
export { GraspWorld, type SceneObject, type BodyPose, type FingerContacts } from './GraspWorld.js';
export { type Task, resolveTask, GRASP_CLEARANCE } from './Task.js';
export { isCovered } from './isCovered.js';
