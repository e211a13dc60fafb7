"""The mask decoder of the U-Net tracker (`--arch unet`): the feasibility probe's up path. The mask
prompt joins every level: the previous frame's mask made hard (as training gives it the true mask,
moved), or on the prompt frame the box drawn as a rectangle (SAM2's box corners, labels 2 and 3).
The stride-8 level reads the memory-conditioned embedding, so that memory says which object where
the prompt cannot (a blacked-out or a lost frame). Each level above concatenates the level below
(halved by a 1x1 convolution, then upsampled), the encoder's map and the prompt, and convolves them 3x3: the prompt meets the pixels'
features in one convolution, as in the probe. The last level's four channels per stride-2 cell are
its four pixels (a pixel shuffle): masks at the frame's resolution."""
import torch
from torch import nn

from .layers import conv_bn, upsample
from .mask_decoder import POINTER, box_map
from .unet_image_encoder import LEVELS


class UNetMaskDecoder(nn.Module):
    """(point_coords [B, 2, 2] in pixels of S, point_labels [B, 2], image_embed [B, 48, S/8, S/8],
    high_res_0 [B, 16, S/2, S/2], high_res_1 [B, 32, S/4, S/4], mask_input [B, 1, S, S] (logits)) ->
    pred_mask [B, 1, S, S] (logits), mask_for_mem [B, 1, S/2, S/2] (probabilities), object_pointer [B, 32]."""

    full_res = True

    def __init__(self, image_size):
        super().__init__()
        self.image_size = image_size
        c0, c1, c2 = LEVELS
        self.low = conv_bn(c2 + 1, c2)
        # Each level's features are halved by a 1x1 convolution before they are upsampled: the
        # convolution above, on 4 times the pixels, is the decoder's largest cost.
        self.squeeze_low = nn.Conv2d(c2, c2 // 2, 1)
        self.mid = conv_bn(c2 // 2 + c1 + 1, c1)
        self.squeeze_mid = nn.Conv2d(c1, c1 // 2, 1)
        self.high = conv_bn(c1 // 2 + c0 + 4, c0)
        self.logits = nn.Conv2d(c0, 4, 1)
        self.pointer = nn.Linear(c2, POINTER)

    def forward(self, point_coords, point_labels, image_embed, high_res_0, high_res_1, mask_input):
        s = self.image_size
        prompt = torch.clamp((mask_input > 0).float() + box_map(point_coords, point_labels, s, s), 0.0, 1.0)
        low = self.low(torch.cat([image_embed, nn.functional.avg_pool2d(prompt, 8)], 1))
        mid = self.mid(torch.cat([upsample(self.squeeze_low(low), 2), high_res_1, nn.functional.avg_pool2d(prompt, 4)], 1))
        high = self.high(torch.cat([upsample(self.squeeze_mid(mid), 2), high_res_0, nn.functional.pixel_unshuffle(prompt, 2)], 1))
        pred_mask = nn.functional.pixel_shuffle(self.logits(high), 2)
        mask_for_mem = torch.sigmoid(nn.functional.avg_pool2d(pred_mask, 2))
        weights = nn.functional.avg_pool2d(mask_for_mem, 4)
        pooled = (low * weights).sum((2, 3)) / (weights.sum((2, 3)) + 1e-3)
        return pred_mask, mask_for_mem, self.pointer(pooled)
