"""Exports the four modules to ONNX (opset 17), one file each, and writes the manifest that
`Sam2OnnxTracker` loads: which tensor of which file plays which role."""
import json
import os

import torch
from torch import nn

from .mask_decoder import POINTER
from .memory_encoder import MEMORY

OPSET = 17


class _BankAttention(nn.Module):
    """The memory bank as the manifest passes it: frames concatenated along axis 0."""

    def __init__(self, attention):
        super().__init__()
        self.attention = attention

    def forward(self, current_feat, memory, object_pointers):
        return self.attention(current_feat, memory.unsqueeze(0), object_pointers.unsqueeze(0))


def _tensor(name, shape):
    return {'name': name, 'shape': shape}


def export_modules(model, out_dir, memory_frames):
    """Writes image_encoder.onnx, memory_attention.onnx, mask_decoder.onnx, memory_encoder.onnx and
    returns the manifest's `modules` and sizes."""
    model.eval()
    s = model.image_size
    g = s // 8
    m = model.mask_size
    os.makedirs(out_dir, exist_ok=True)
    image = torch.zeros(1, 3, s, s)
    with torch.no_grad():
        pix_feat, hr0, hr1, _, *full = model.image_encoder(image)
        coords = torch.tensor([[[10.0, 10.0], [40.0, 40.0]]])
        labels = torch.tensor([[2.0, 3.0]])
        mask_input = torch.full((1, 1, m, m), -10.0)
        pred, for_mem, pointer = model.mask_decoder(coords, labels, pix_feat, hr0, hr1, mask_input, *full)
        mem = model.memory_encoder(for_mem, pix_feat)
    bank = 3
    memory = mem.expand(bank, -1, -1, -1).contiguous()
    pointers = pointer.expand(bank, -1).contiguous()

    def export(module, args, name, inputs, outputs, dynamic=None):
        torch.onnx.export(module, args, os.path.join(out_dir, f'{name}.onnx'), opset_version=OPSET,
                          input_names=inputs, output_names=outputs, dynamic_axes=dynamic or {}, do_constant_folding=True)

    # With full-resolution masks the encoder also gives its full-resolution features to the decoder.
    high_res_full = ['high_res_full'] if full else []
    export(model.image_encoder, (image,), 'image_encoder', ['image'], ['pix_feat', 'high_res_0', 'high_res_1', 'foreground'] + high_res_full)
    export(_BankAttention(model.memory_attention), (pix_feat, memory, pointers), 'memory_attention',
           ['current_feat', 'memory', 'object_pointers'], ['pix_feat_with_mem'],
           {'memory': {0: 'bank'}, 'object_pointers': {0: 'bank'}})
    export(model.mask_decoder, (coords, labels, pix_feat, hr0, hr1, mask_input, *full), 'mask_decoder',
           ['point_coords', 'point_labels', 'image_embed', 'high_res_0', 'high_res_1', 'mask_input'] + high_res_full, ['pred_mask', 'mask_for_mem', 'object_pointer'])
    export(model.memory_encoder, (for_mem, pix_feat), 'memory_encoder', ['mask_for_mem', 'pix_feat'], ['maskmem_features'])

    # Shapes as the modules give them: the trackers differ in their channels and mask sizes.
    feat = list(pix_feat.shape)
    half = list(for_mem.shape)
    high_res = {'highRes0': _tensor('high_res_0', list(hr0.shape)), 'highRes1': _tensor('high_res_1', list(hr1.shape))}
    full_spec = {'highResFull': _tensor('high_res_full', list(full[0].shape))} if full else {}
    return {
        'imageEncoder': {
            'file': 'image_encoder.onnx',
            'inputs': {'image': _tensor('image', [1, 3, s, s])},
            'outputs': {'pixFeat': _tensor('pix_feat', feat), **high_res, 'foreground': _tensor("foreground", half), **full_spec},
        },
        'memoryAttention': {
            'file': 'memory_attention.onnx',
            'inputs': {'currentFeat': _tensor('current_feat', feat), 'memory': _tensor('memory', ['bank', MEMORY, g, g]),
                       'objectPointers': _tensor('object_pointers', ['bank', POINTER])},
            'outputs': {'pixFeatWithMem': _tensor('pix_feat_with_mem', feat)},
        },
        'imageDecoder': {
            'file': 'mask_decoder.onnx',
            'inputs': {'pointCoords': _tensor('point_coords', [1, 2, 2]), 'pointLabels': _tensor('point_labels', [1, 2]),
                       'imageEmbed': _tensor('image_embed', feat), **high_res, 'maskInput': _tensor('mask_input', list(mask_input.shape)), **full_spec},
            'outputs': {'predMask': _tensor("pred_mask", list(pred.shape)), 'maskForMem': _tensor('mask_for_mem', half),
                        'objectPointer': _tensor('object_pointer', [1, POINTER])},
        },
        'memoryEncoder': {
            'file': 'memory_encoder.onnx',
            'inputs': {'maskForMem': _tensor('mask_for_mem', half), 'pixFeat': _tensor('pix_feat', feat)},
            'outputs': {'maskmemFeatures': _tensor('maskmem_features', list(mem.shape))},
        },
    }


def write_manifest(out_dir, modules, image_size, memory_frames, mask_threshold, foreground_threshold, extra):
    manifest = {'imageSize': image_size, 'mean': [0.485, 0.456, 0.406], 'std': [0.229, 0.224, 0.225], 'memoryFrames': memory_frames,
                'maskThreshold': mask_threshold, 'foregroundThreshold': foreground_threshold, 'modules': modules, **extra}
    with open(os.path.join(out_dir, 'tracker.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
