import { sceneRng, type EpisodeKey } from '../core/index.js';
import type { Frame } from '../render/index.js';
import type { Box } from './Box.js';
import { IdsDetector, type DetectorNoise } from './Detector.js';

/**
 * The episode's prompt: the simulated upstream detector's box around the target in the t = 0
 * scene frame, from a stream seeded by the scene, so every policy, probe and demonstration of an
 * episode gets the same box.
 */
export function promptFor(noise: DetectorNoise, key: EpisodeKey, frame: Frame, targetSegmentId: number): Box | null {
  return new IdsDetector(noise, sceneRng(key).stream('detector')).detect(frame, targetSegmentId);
}
