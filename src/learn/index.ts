export { DemoStore, type Demo } from './DemoStore.js';
export { collectDemos, DEFAULT_SINGLE_SHARE, DEFAULT_START_SPREAD, DEMO_INDEX_BASE, startPose, type CollectOptions } from './collectDemos.js';
export { cacheFeatures, DEFAULT_OCCLUDED_SHARE, occlusionSchedule, readCache, type CacheIndex } from './FeatureCache.js';
export { DEFAULT_HEAD, initHead, headForward, type HeadConfig, type HeadParams } from './ActHead.js';
export { buildHeadOnnx, checkParity } from './exportHead.js';
export { trainHead, DEFAULT_TRAINING, type TrainOptions, type TrainedHead } from './trainHead.js';
export { shipHead, type TrainingRecord } from './shipHead.js';
export { initTensorflow } from './tfBackend.js';
export { collectTrackerFrames, TRACKER_INDEX_BASE, type TrackerEpisode, type TrackerFramesOptions } from './collectTrackerFrames.js';
