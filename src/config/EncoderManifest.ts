import { z } from 'zod';
import { parseSpec, readJsonFile } from './parseSpec.js';

const shape = z.array(z.number().int().min(1)).min(1);

/**
 * The frozen feature encoder's contract, beside its ONNX file: the input image tensor (channels
 * R, G, B, depth, mask) and the feature output, with the grid it flattens.
 */
export const EncoderManifestSchema = z.strictObject({
  /** ONNX file, relative to the manifest. */
  file: z.string().min(1),
  input: z.strictObject({ name: z.string().min(1), shape }),
  output: z.strictObject({ name: z.string().min(1), shape }),
  /** Output = channels x rows x cols, flattened channel-major. */
  grid: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  /** Input channel meanings, in order. */
  channels: z.array(z.string()),
  /** Depth is clipped to [0, maxDepth] metres and divided by it. */
  maxDepth: z.number().positive(),
  seed: z.string(),
  description: z.string().default(''),
});

export type EncoderManifest = z.infer<typeof EncoderManifestSchema>;

export function loadEncoderManifest(path: string): EncoderManifest {
  return parseSpec(EncoderManifestSchema, readJsonFile(path), path);
}
