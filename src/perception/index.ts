export { type Box, boxArea, boxIou, boxWhere, clipBox, boxProblem } from './Box.js';
export { type Detector, type DetectorNoise, IdsDetector } from './Detector.js';
export { type PromptableTracker, type TrackResult } from './PromptableTracker.js';
export { SimulatedSam2, DEFAULT_SIM_SAM2, SIM_EMBEDDING_SIZE, type SimulatedSam2Options } from './SimulatedSam2.js';
