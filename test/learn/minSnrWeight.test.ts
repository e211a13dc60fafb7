import { describe, expect, it } from 'vitest';
import { DEFAULT_DENOISER } from '../../src/learn/index.js';
import { minSnrWeight } from '../../src/learn/trainDiffusionHead.js';

// An error in the predicted noise is sqrt(SNR) times the error it makes in the clean chunk, and
// an error in the velocity sqrt(SNR + 1) times: Min-SNR-gamma weights each target so that every
// one of them pays min(SNR, gamma) per unit of squared error in the clean chunk (Hang et al., 2023).
const cleanChunkFactor = { epsilon: (snr: number) => snr, sample: () => 1, v_prediction: (snr: number) => snr + 1 };

describe('minSnrWeight', () => {
  it('is 1 for every step when the weighting is off', () => {
    for (const snr of [1e-4, 0.5, 5, 1e4]) expect(minSnrWeight(snr, { ...DEFAULT_DENOISER, minSnrGamma: null })).toBe(1);
  });

  it('weighs every target to min(SNR, gamma) on the clean chunk, so the three losses agree', () => {
    for (const prediction of ['epsilon', 'sample', 'v_prediction'] as const) {
      for (const snr of [1e-4, 0.5, 5, 80, 1e4]) {
        const weight = minSnrWeight(snr, { ...DEFAULT_DENOISER, prediction, minSnrGamma: 5 });
        expect(weight * cleanChunkFactor[prediction](snr)).toBeCloseTo(Math.min(snr, 5), 10);
      }
    }
  });

  it('leaves the noise loss as it is at high noise and lowers it where the chunk is already clear', () => {
    const denoiser = { ...DEFAULT_DENOISER, minSnrGamma: 5 };
    expect(minSnrWeight(0.5, denoiser)).toBe(1);
    expect(minSnrWeight(500, denoiser)).toBeCloseTo(0.01, 12);
  });
});
