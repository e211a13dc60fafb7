"""Memory attention: the current frame's embedding attends to every position of every frame in the
memory bank (the prompt frame first, then the recent frames, oldest first) and to their object
pointers, and comes out conditioned on the tracked object."""
import math

import torch
from torch import nn

from .image_encoder import EMBED
from .mask_decoder import POINTER
from .memory_encoder import MEMORY

KEY = 16
VALUE = 16
MAX_BANK = 16


class MemoryAttention(nn.Module):
    """(current_feat [B, 48, H, W], memory [B, N, 32, H, W], object_pointers [B, N, 32]) ->
    pix_feat_with_mem [B, 48, H, W]."""

    def __init__(self, grid):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(1, grid * grid, KEY) * 0.5)
        self.slot = nn.Parameter(torch.zeros(MAX_BANK, 1, KEY))
        self.query = nn.Linear(EMBED, KEY)
        self.key = nn.Linear(MEMORY, KEY)
        self.value = nn.Linear(MEMORY, VALUE)
        self.pointer_key = nn.Linear(POINTER, KEY)
        self.pointer_value = nn.Linear(POINTER, VALUE)
        self.out = nn.Linear(VALUE, EMBED)
        self.mlp = nn.Sequential(nn.Conv2d(EMBED, EMBED, 1), nn.ReLU(), nn.Conv2d(EMBED, EMBED, 1))

    def forward(self, current_feat, memory, object_pointers):
        b, c, h, w = current_feat.shape
        n = memory.shape[1]
        cur = current_feat.flatten(2).transpose(1, 2)  # B, HW, C
        mem = memory.flatten(3).transpose(2, 3)  # B, N, HW, M
        q = self.query(cur) + self.pos
        k = (self.key(mem) + self.pos.unsqueeze(1) + self.slot[:n].unsqueeze(0)).reshape(b, n * h * w, KEY)
        v = self.value(mem).reshape(b, n * h * w, VALUE)
        k = torch.cat([k, self.pointer_key(object_pointers)], 1)
        v = torch.cat([v, self.pointer_value(object_pointers)], 1)
        attn = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(KEY), -1)
        x = current_feat + self.out(attn @ v).transpose(1, 2).reshape(b, c, h, w)
        return x + self.mlp(x)
