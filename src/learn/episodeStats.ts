/**
 * Per-episode statistics as LeRobot v2.1 keeps them in `meta/episodes_stats.jsonl`: for each
 * feature `min`, `max`, `mean`, `std` (population) with the feature's shape, and `count` (frames).
 * Images get one value per channel, shaped [C, 1, 1] as LeRobot's are; 8-bit images are scaled
 * to [0, 1] as LeRobot's are, depth images are given in metres.
 */
export interface FeatureStats {
  min: unknown;
  max: unknown;
  mean: unknown;
  std: unknown;
  count: [number];
}

/** Stats of per-frame vectors (all of one length), reshaped to `shape` (e.g. [4, 4] or [1]). */
export function vectorStats(rows: readonly (readonly number[])[], shape: readonly number[]): FeatureStats {
  const n = rows[0]?.length ?? 0;
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  const sum = new Array<number>(n).fill(0);
  const sq = new Array<number>(n).fill(0);
  for (const row of rows) {
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (v < min[i] || Number.isNaN(v)) min[i] = v;
      if (v > max[i] || Number.isNaN(v)) max[i] = v;
      sum[i] += v;
      sq[i] += v * v;
    }
  }
  const mean = sum.map((s) => s / rows.length);
  const std = sq.map((s, i) => Math.sqrt(Math.max(0, s / rows.length - mean[i] * mean[i])));
  return { min: reshape(min, shape), max: reshape(max, shape), mean: reshape(mean, shape), std: reshape(std, shape), count: [rows.length] };
}

/**
 * Stats of interleaved images (H x W x C per frame, channel fastest), each sample multiplied
 * by `scale`, per channel, shaped [C, 1, 1].
 */
export function imageStats(frames: readonly ArrayLike<number>[], channels: number, scale: number): FeatureStats {
  const min = new Array<number>(channels).fill(Infinity);
  const max = new Array<number>(channels).fill(-Infinity);
  const sum = new Array<number>(channels).fill(0);
  const sq = new Array<number>(channels).fill(0);
  let pixels = 0;
  for (const data of frames) {
    for (let i = 0; i < data.length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const v = data[i + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
        sum[c] += v;
        sq[c] += v * v;
      }
    }
    pixels += data.length / channels;
  }
  const per = (values: number[]) => values.map((v) => [[v]]);
  const mean = sum.map((s) => s / pixels);
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / pixels - mean[c] * mean[c])) * scale);
  return { min: per(min.map((v) => v * scale)), max: per(max.map((v) => v * scale)), mean: per(mean.map((v) => v * scale)), std: per(std), count: [frames.length] };
}

function reshape(values: number[], shape: readonly number[]): unknown {
  if (shape.length <= 1) return values;
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, r) => values.slice(r * cols, (r + 1) * cols));
}
