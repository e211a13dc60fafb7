"""The image encoder (SAM2's Hiera + FPN, in miniature): RGB in, a stride-8 embedding and two
higher-resolution feature maps for the mask decoder (strides 2 and 4, as SAM2's are 4 and 8 to its
stride-16 embedding), plus a class-agnostic foreground head: SAM's "everything", in one map."""
import torch
from torch import nn

from .layers import SeparableBlock, conv_bn, upsample

EMBED = 48
HIGH_RES_0 = 16
HIGH_RES_1 = 32
HIGH_RES_FULL = 8


class ImageEncoder(nn.Module):
    """image [B, 3, S, S] (ImageNet-normalised RGB) ->
    pix_feat [B, 48, S/8, S/8], high_res_0 [B, 16, S/2, S/2], high_res_1 [B, 32, S/4, S/4],
    foreground [B, 1, S/2, S/2] (logits: any object, not the bin, the floor or the hand)."""

    def __init__(self, wide=False, full_res=False):
        super().__init__()
        # full_res (wide only): the full-resolution convolution's output is a fifth output,
        # high_res_full [B, 8, S, S], for a mask decoder with masks at the frame's resolution.
        assert wide or not full_res
        self.full_res = full_res
        # wide: a full-resolution convolution before the stride, and a block after it (measured in
        # docs/perception.md; not the shipped tracker's).
        self.stride2 = nn.Sequential(conv_bn(3, HIGH_RES_FULL), conv_bn(HIGH_RES_FULL, HIGH_RES_0, stride=2), SeparableBlock(HIGH_RES_0)) if wide else conv_bn(3, HIGH_RES_0, stride=2)
        self.stride4 = nn.Sequential(conv_bn(HIGH_RES_0, HIGH_RES_1, stride=2), SeparableBlock(HIGH_RES_1))
        self.stride8 = nn.Sequential(conv_bn(HIGH_RES_1, EMBED, stride=2), SeparableBlock(EMBED), SeparableBlock(EMBED))
        self.fg0 = nn.Conv2d(HIGH_RES_0, 8, 1)
        self.fg1 = nn.Conv2d(HIGH_RES_1, 8, 1)
        self.fg2 = nn.Conv2d(EMBED, 8, 1)
        self.fg_out = nn.Sequential(nn.ReLU(), nn.Conv2d(8, 1, 1))

    def forward(self, image):
        if self.full_res:
            high_res_full = self.stride2[0](image)
            high_res_0 = self.stride2[1:](high_res_full)
        else:
            high_res_0 = self.stride2(image)
        high_res_1 = self.stride4(high_res_0)
        pix_feat = self.stride8(high_res_1)
        # 1x1 convolutions before upsampling: the same map, computed on 4 or 16 times fewer pixels.
        fg = self.fg0(high_res_0) + upsample(self.fg1(high_res_1) + upsample(self.fg2(pix_feat), 2), 2)
        out = (pix_feat, high_res_0, high_res_1, self.fg_out(fg))
        return out + (high_res_full,) if self.full_res else out
