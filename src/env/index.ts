export { GraspEnv } from './GraspEnv.js';
export { EpisodeMonitor, CLOSING_COMMAND } from './EpisodeMonitor.js';
export * from './types.js';
export { OcclusionWrapper, parseOcclusionMode, formatOcclusionMode, type OcclusionMode } from './OcclusionWrapper.js';
/** The hand's dimensions are part of the env's public contract: policies may plan with them. */
export { GRIPPER_GEOMETRY, palmHalfLength, handBoxesAt, GRASP_CLEARANCE } from '../sim/index.js';
export { loadTask, tasksDir } from './loadTask.js';
export { intrinsicsRow, cameraToWorldRows } from './cameraRows.js';
