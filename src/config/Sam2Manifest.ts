import { z } from 'zod';
import { parseSpec, readJsonFile } from './parseSpec.js';

/** A tensor of an exported module: its name in the ONNX file and its shape (strings: symbolic dims). */
const Tensor = z.strictObject({ name: z.string().min(1), shape: z.array(z.union([z.number().int().min(1), z.string().min(1)])).min(1) });
const module = <I extends z.ZodRawShape, O extends z.ZodRawShape>(inputs: I, outputs: O) =>
  z.strictObject({ file: z.string().min(1), inputs: z.strictObject(inputs), outputs: z.strictObject(outputs) });

/**
 * How a four-module SAM2 video export plugs in: the files, and which of each file's tensors plays
 * which role. Memory inputs are the memory encoder's per-frame outputs (and the decoder's object
 * pointers) concatenated along axis 0, prompt frame first, then the recent frames oldest first.
 * Mask logits (`predMask`, and the optional class-agnostic `foreground` of the image encoder) may
 * come at a lower resolution than the frame: they are upsampled bilinearly, as SAM2's are. A
 * decoder with SAM's dense mask prompt (`maskInput`, of `predMask`'s shape, and optionally
 * `hasMaskInput`) is given the previous frame's mask logits on every frame after the prompt's.
 */
export const Sam2ManifestSchema = z.strictObject({
  /** What the results call this perception: `sam2:<name>`, or `learned` for the harness's own. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/).optional(),
  description: z.string().default(''),
  /** Side of the square image the encoder takes (1024 for SAM2). */
  imageSize: z.number().int().min(8).max(4096).default(1024),
  /** ImageNet normalisation of RGB in [0, 1]. */
  mean: z.tuple([z.number(), z.number(), z.number()]).default([0.485, 0.456, 0.406]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([0.229, 0.224, 0.225]),
  /** Recent frames in the memory bank, besides the prompt frame (SAM2: 6). */
  memoryFrames: z.number().int().min(1).max(64).default(6),
  /** Mask logits above this are the object. */
  maskThreshold: z.number().default(0),
  /** Foreground logits above this are objects (default: maskThreshold). */
  foregroundThreshold: z.number().optional(),
  modules: z.strictObject({
    imageEncoder: module(
      { image: Tensor },
      { pixFeat: Tensor, highRes0: Tensor.optional(), highRes1: Tensor.optional(), highResFull: Tensor.optional(), visionFeat: Tensor.optional(), visionPosEmbed: Tensor.optional(), foreground: Tensor.optional() },
    ),
    memoryAttention: module(
      { currentFeat: Tensor, currentPosEmbed: Tensor.optional(), memory: Tensor, memoryPosEmbed: Tensor.optional(), objectPointers: Tensor.optional() },
      { pixFeatWithMem: Tensor },
    ),
    imageDecoder: module(
      { pointCoords: Tensor, pointLabels: Tensor, imageEmbed: Tensor, highRes0: Tensor.optional(), highRes1: Tensor.optional(), highResFull: Tensor.optional(), maskInput: Tensor.optional(), hasMaskInput: Tensor.optional() },
      { predMask: Tensor, maskForMem: Tensor, objectPointer: Tensor },
    ),
    memoryEncoder: module({ maskForMem: Tensor, pixFeat: Tensor }, { maskmemFeatures: Tensor, maskmemPosEnc: Tensor.optional() }),
  }),
});

export type Sam2Manifest = z.infer<typeof Sam2ManifestSchema>;
export type Sam2Module = keyof Sam2Manifest['modules'];

export function loadSam2Manifest(path: string): Sam2Manifest {
  return parseSpec(Sam2ManifestSchema, readJsonFile(path), path);
}
