export { GraspEnv } from './GraspEnv.js';
export { EpisodeMonitor } from './EpisodeMonitor.js';
export * from './types.js';
