"""The memory encoder: a frame's predicted mask fused with its image embedding, to be remembered."""
import torch
from torch import nn

from .image_encoder import EMBED
from .layers import conv_bn

MEMORY = 32


class MemoryEncoder(nn.Module):
    """(mask_for_mem [B, 1, S/2, S/2], pix_feat [B, 48, S/8, S/8]) -> maskmem_features [B, 32, S/8, S/8]."""

    def __init__(self):
        super().__init__()
        self.mask = nn.Sequential(conv_bn(1, 8, stride=2), conv_bn(8, 16, stride=2))
        self.mask_out = nn.Conv2d(16, MEMORY, 1)
        self.feat = nn.Conv2d(EMBED, MEMORY, 1)
        self.fuse = conv_bn(MEMORY, MEMORY)

    def forward(self, mask_for_mem, pix_feat):
        return self.fuse(torch.relu(self.mask_out(self.mask(mask_for_mem)) + self.feat(pix_feat)))
