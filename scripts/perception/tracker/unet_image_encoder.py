"""The image encoder of the U-Net tracker (`--arch unet`): DESIGN.md's feasibility probe's down path,
cut as SAM2 cuts it (the pixels only; the prompt joins in the mask decoder). The frame's 2x2 cells
are folded into channels, then three levels of two 3x3 convolutions each (16, 32 and 48 channels;
16 at stride 2, where the probe's 24 cost more than the 3 ms bar allows) give the decoder's two
high-resolution maps (strides 2 and 4) and the stride-8 embedding that memory attention
conditions, plus the class-agnostic foreground head of `ImageEncoder`."""
from torch import nn

from .image_encoder import EMBED
from .layers import conv_bn, upsample

LEVELS = (16, 32, EMBED)


class UNetImageEncoder(nn.Module):
    """image [B, 3, S, S] (ImageNet-normalised RGB) ->
    pix_feat [B, 48, S/8, S/8], high_res_0 [B, 16, S/2, S/2], high_res_1 [B, 32, S/4, S/4],
    foreground [B, 1, S/2, S/2] (logits)."""

    full_res = False

    def __init__(self):
        super().__init__()
        c0, c1, c2 = LEVELS
        self.levels = nn.ModuleList([nn.Sequential(conv_bn(12, c0), conv_bn(c0, c0)),
                                     nn.Sequential(conv_bn(c0, c1, stride=2), conv_bn(c1, c1)),
                                     nn.Sequential(conv_bn(c1, c2, stride=2), conv_bn(c2, c2))])
        self.fg = nn.ModuleList([nn.Conv2d(c, 8, 1) for c in LEVELS])
        self.fg_out = nn.Sequential(nn.ReLU(), nn.Conv2d(8, 1, 1))

    def forward(self, image):
        high_res_0 = self.levels[0](nn.functional.pixel_unshuffle(image, 2))
        high_res_1 = self.levels[1](high_res_0)
        pix_feat = self.levels[2](high_res_1)
        # 1x1 convolutions before upsampling: the same map, computed on 4 or 16 times fewer pixels.
        fg = self.fg[0](high_res_0) + upsample(self.fg[1](high_res_1) + upsample(self.fg[2](pix_feat), 2), 2)
        return pix_feat, high_res_0, high_res_1, self.fg_out(fg)
