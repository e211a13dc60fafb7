/**
 * The diffusion noise schedule and the DDIM update, shared by training (the tfjs DDPM loss) and
 * sampling (the TypeScript loop around the ONNX denoiser), so that both read the same numbers.
 *
 * The schedule is the cosine one of Nichol & Dhariwal (2021), diffusers' `squaredcos_cap_v2`, which
 * Diffusion Policy uses: alpha-bar(t) = cos^2(((t / T) + s) / (1 + s) * pi / 2), betas capped at
 * 0.999. Sampling is DDIM (Song et al., 2021), by default with eta = 0: deterministic once the
 * starting noise is drawn. Either way the noise comes from the episode's stream, so an episode's
 * key fixes every action.
 */
/**
 * What the denoiser predicts (diffusers' `prediction_type`): the noise, the clean chunk, or the
 * velocity v = sqrt(a_t) eps - sqrt(1 - a_t) x0 (Salimans & Ho, 2022), which is the noise near
 * t = 0 and the (negated) clean chunk near t = T.
 */
export const DIFFUSION_PREDICTIONS = ['epsilon', 'sample', 'v_prediction'] as const;
export type DiffusionPrediction = (typeof DIFFUSION_PREDICTIONS)[number];

export interface StepOptions {
  /** Clip the predicted clean chunk to [-clip, clip]. */
  clip?: number;
  /** DDIM's eta: 0 deterministic, 1 DDPM's ancestral sampling. */
  eta?: number;
  /** Standard normal draws for a stochastic step. */
  noise?: () => number;
}

export class NoiseSchedule {
  /** alpha-bar at each training step t = 0 .. T - 1 (the share of signal left in x_t). */
  readonly alphasCumprod: Float64Array;

  constructor(readonly trainSteps: number) {
    const s = 0.008;
    const f = (t: number) => Math.cos((((t / trainSteps) + s) / (1 + s)) * (Math.PI / 2)) ** 2;
    this.alphasCumprod = new Float64Array(trainSteps);
    let product = 1;
    for (let t = 0; t < trainSteps; t++) {
      product *= 1 - Math.min(1 - f(t + 1) / f(t), 0.999);
      this.alphasCumprod[t] = product;
    }
  }

  /**
   * The DDIM steps, noisiest first, evenly spaced down from T - 1 (diffusers' "trailing" spacing):
   * the first step then starts where the noise it is given is pure, which "leading" spacing
   * (ending at 0, starting below T - 1) does not (Lin et al., 2024).
   */
  inferenceTimesteps(steps: number): number[] {
    const stride = this.trainSteps / steps;
    return Array.from({ length: steps }, (_, i) => Math.round(this.trainSteps - i * stride) - 1);
  }

  /**
   * One DDIM update in place: from x_t and the model's output to x at `previous` (-1: the clean
   * sample). With a predicted noise eps, x0 = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t); with a
   * predicted x0, eps = (x_t - sqrt(a_t) x0) / sqrt(1 - a_t); with a predicted v,
   * x0 = sqrt(a_t) x_t - sqrt(1 - a_t) v and eps = sqrt(1 - a_t) x_t + sqrt(a_t) v. Then
   * x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps. With `clip`, x0 is first clipped to
   * [-clip, clip] and eps re-derived from it (diffusers' `clip_sample`): near t = T, a noise
   * prediction's error is multiplied by 1 / sqrt(a_t), about 1000 at the cosine schedule's end.
   * With `eta` > 0 the step is stochastic (DDIM's sigma_t = eta sqrt((1 - a_prev) / (1 - a_t))
   * sqrt(1 - a_t / a_prev); eta = 1 is DDPM's ancestral step): x_prev = sqrt(a_prev) x0 +
   * sqrt(1 - a_prev - sigma^2) eps + sigma z, one draw of `noise` per number.
   */
  step(sample: Float32Array, output: ArrayLike<number>, t: number, previous: number, prediction: DiffusionPrediction, options: StepOptions = {}): void {
    const { clip = Infinity, eta = 0, noise } = options;
    const a = this.alphasCumprod[t];
    const aPrev = previous >= 0 ? this.alphasCumprod[previous] : 1;
    const sa = Math.sqrt(a);
    const sb = Math.sqrt(1 - a);
    const saPrev = Math.sqrt(aPrev);
    const sigma = eta * Math.sqrt((1 - aPrev) / (1 - a)) * Math.sqrt(1 - a / aPrev);
    if (sigma > 0 && !noise) throw new Error('a stochastic DDIM step needs a noise source');
    const sbPrev = Math.sqrt(Math.max(0, 1 - aPrev - sigma * sigma));
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i];
      const y = output[i];
      const predicted = prediction === 'sample' ? y : prediction === 'epsilon' ? (x - sb * y) / sa : sa * x - sb * y;
      const x0 = Math.min(clip, Math.max(-clip, predicted));
      let eps = (x - sa * x0) / sb;
      if (x0 === predicted && prediction === 'epsilon') eps = y;
      if (x0 === predicted && prediction === 'v_prediction') eps = sb * x + sa * y;
      sample[i] = saPrev * x0 + sbPrev * eps + (sigma > 0 ? sigma * noise!() : 0);
    }
  }
}
