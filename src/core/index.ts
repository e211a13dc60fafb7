export { InputError } from './InputError.js';
export { Rng } from './Rng.js';
export { type ObjectCount, formatObjectCount, parseObjectCount } from './ObjectCount.js';
export { type EpisodeKey, episodeId, episodeRng, policyRng, sceneRng, STREAMS } from './EpisodeKey.js';
export { sha256Hex, hashFloats } from './hash.js';
export * from './math.js';
export * from './Polygon2.js';
export { type PalmPose, stepPoseTowards } from './PalmPose.js';
