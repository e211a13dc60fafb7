import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/index.js';
import { OnnxGraphBuilder } from '../../src/perception/index.js';

/**
 * Four tiny ONNX modules with the roles, ranks and dataflow of a SAM2 video export (image 32 x 32,
 * features 8 x 8 x 8, random weights), wired so behaviour can be checked: the decoder paints the
 * box on the prompt frame only (labels 2 and 3); on later frames the only way a mask can appear is
 * through memory (the memory encoder writes the mask into feature channel 0, memory attention
 * adds the bank's mean to the current features, the decoder reads channel 0).
 */
export const TINY = { size: 32, channels: 8, grid: 8 };

export function writeTinySam2(dir: string, memoryFrames = 3): string {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng('tiny-sam2');
  const { size: S, channels: C, grid: G } = TINY;
  const random = (n: number) => Float32Array.from({ length: n }, () => 0.1 * rng.normal());

  // Image encoder: pixel features (channel 0 left empty, for memory), two high-res maps, positional embedding.
  const enc = new OnnxGraphBuilder('image_encoder');
  const image = enc.input('image', [1, 3, S, S]);
  const w = random(C * 3 * 16);
  w.fill(0, 0, 3 * 16);
  enc.node('Conv', [image, enc.weight('w', [C, 3, 4, 4], w)], { kernel_shape: [4, 4], strides: [4, 4] }, ['pix_feat']);
  enc.node('Conv', [image, enc.weight('w0', [4, 3, 2, 2], random(48))], { kernel_shape: [2, 2], strides: [2, 2] }, ['high_res_feats_0']);
  enc.node('Conv', [image, enc.weight('w1', [4, 3, 1, 1], random(12))], { kernel_shape: [1, 1] }, ['high_res_feats_1']);
  enc.node('Identity', [enc.weight('pos', [G * G, 1, C], random(G * G * C))], {}, ['vision_pos_embed']);
  enc.output('pix_feat', [1, C, G, G]);
  enc.output('high_res_feats_0', [1, 4, 16, 16]);
  enc.output('high_res_feats_1', [1, 4, 32, 32]);
  enc.output('vision_pos_embed', [G * G, 1, C]);

  // Memory attention: current features plus the mean of the memory bank.
  const att = new OnnxGraphBuilder('memory_attention');
  const current = att.input('current_vision_feat', [1, C, G, G]);
  att.input('current_vision_pos_embed', [G * G, 1, C]);
  const memory = att.input('memory_0', ['num_memories', C, G, G]);
  att.input('memory_pos_embed', ['num_memory_tokens', 1, C]);
  att.input('obj_ptrs', ['num_pointers', C]);
  att.node('Add', [current, att.node('ReduceMean', [memory], { axes: [0], keepdims: 1 })], {}, ['pix_feat_with_mem']);
  att.output('pix_feat_with_mem', [1, C, G, G]);

  // Image decoder: box prior (prompt frame only) + 2 x channel 0 - 1.
  const dec = new OnnxGraphBuilder('image_decoder');
  const coords = dec.input('point_coords', [1, 2, 2]);
  const labels = dec.input('point_labels', [1, 2]);
  const embed = dec.input('image_embed', [1, C, G, G]);
  dec.input('high_res_feats_0', [1, 4, 16, 16]);
  dec.input('high_res_feats_1', [1, 4, 32, 32]);
  const cell = S / G;
  const gx = dec.weight('gx', [1, 1, G, G], Array.from({ length: G * G }, (_, k) => ((k % G) + 0.5) * cell));
  const gy = dec.weight('gy', [1, 1, G, G], Array.from({ length: G * G }, (_, k) => (Math.floor(k / G) + 0.5) * cell));
  const flat = dec.node('Reshape', [coords, dec.ints('flat', [4])]);
  const corner = (i: number) => dec.node('Gather', [flat, dec.ints(`i${i}`, [i])]);
  const inside = dec.node('Min', [
    dec.node('Sub', [gx, corner(0)]),
    dec.node('Sub', [corner(2), gx]),
    dec.node('Sub', [gy, corner(1)]),
    dec.node('Sub', [corner(3), gy]),
  ]);
  const one = dec.weight('one', [1], [1]);
  const gate = dec.node('Clip', [dec.node('Sub', [dec.node('ReduceMax', [labels], { keepdims: 0 }), one]), dec.weight('zero', [], [0]), dec.weight('unit', [], [1])]);
  const channel0 = dec.node('Slice', [embed, dec.ints('s0', [0]), dec.ints('e0', [1]), dec.ints('a0', [1])]);
  const logits = dec.node('Sub', [dec.node('Add', [dec.node('Mul', [inside, gate]), dec.node('Mul', [channel0, dec.weight('two', [1], [2])])]), one], {}, ['pred_mask']);
  const up = dec.node('Resize', [logits, '', dec.weight('scales', [4], [1, 1, cell, cell])], { mode: 'nearest' });
  dec.node('Cast', [dec.node('Greater', [up, dec.weight('z', [1], [0])])], { to: 1 }, ['mask_for_mem']);
  dec.node('ReduceMean', [embed], { axes: [2, 3], keepdims: 0 }, ['obj_ptr']);
  dec.output('pred_mask', [1, 1, G, G]);
  dec.output('mask_for_mem', [1, 1, S, S]);
  dec.output('obj_ptr', [1, C]);

  // Memory encoder: the mask, pooled, in channel 0; the pixel features in the others.
  const mem = new OnnxGraphBuilder('memory_encoder');
  const maskIn = mem.input('mask_for_mem', [1, 1, S, S]);
  const pix = mem.input('pix_feat', [1, C, G, G]);
  const pooled = mem.node('Mul', [mem.node('AveragePool', [maskIn], { kernel_shape: [cell, cell], strides: [cell, cell] }), mem.weight('four', [1], [4])]);
  const others = mem.node('Slice', [pix, mem.ints('s1', [1]), mem.ints('e1', [C]), mem.ints('a1', [1])]);
  mem.node('Concat', [pooled, others], { axis: 1 }, ['maskmem_features']);
  mem.node('Identity', [mem.weight('mpos', [G * G, 1, C], random(G * G * C))], {}, ['maskmem_pos_enc']);
  mem.output('maskmem_features', [1, C, G, G]);
  mem.output('maskmem_pos_enc', [G * G, 1, C]);

  for (const [file, builder] of [['image_encoder.onnx', enc], ['memory_attention.onnx', att], ['image_decoder.onnx', dec], ['memory_encoder.onnx', mem]] as const) {
    writeFileSync(join(dir, file), builder.build());
  }
  const t = (name: string, shape: (number | string)[]) => ({ name, shape });
  const manifest = {
    imageSize: S,
    memoryFrames,
    modules: {
      imageEncoder: {
        file: 'image_encoder.onnx',
        inputs: { image: t('image', [1, 3, S, S]) },
        outputs: { pixFeat: t('pix_feat', [1, C, G, G]), highRes0: t('high_res_feats_0', [1, 4, 16, 16]), highRes1: t('high_res_feats_1', [1, 4, 32, 32]), visionPosEmbed: t('vision_pos_embed', [G * G, 1, C]) },
      },
      memoryAttention: {
        file: 'memory_attention.onnx',
        inputs: {
          currentFeat: t('current_vision_feat', [1, C, G, G]),
          currentPosEmbed: t('current_vision_pos_embed', [G * G, 1, C]),
          memory: t('memory_0', ['n', C, G, G]),
          memoryPosEmbed: t('memory_pos_embed', ['m', 1, C]),
          objectPointers: t('obj_ptrs', ['k', C]),
        },
        outputs: { pixFeatWithMem: t('pix_feat_with_mem', [1, C, G, G]) },
      },
      imageDecoder: {
        file: 'image_decoder.onnx',
        inputs: { pointCoords: t('point_coords', [1, 2, 2]), pointLabels: t('point_labels', [1, 2]), imageEmbed: t('image_embed', [1, C, G, G]), highRes0: t('high_res_feats_0', [1, 4, 16, 16]), highRes1: t('high_res_feats_1', [1, 4, 32, 32]) },
        outputs: { predMask: t('pred_mask', [1, 1, G, G]), maskForMem: t('mask_for_mem', [1, 1, S, S]), objectPointer: t('obj_ptr', [1, C]) },
      },
      memoryEncoder: {
        file: 'memory_encoder.onnx',
        inputs: { maskForMem: t('mask_for_mem', [1, 1, S, S]), pixFeat: t('pix_feat', [1, C, G, G]) },
        outputs: { maskmemFeatures: t('maskmem_features', [1, C, G, G]), maskmemPosEnc: t('maskmem_pos_enc', [G * G, 1, C]) },
      },
    },
  };
  const path = join(dir, 'sam2.json');
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return path;
}
