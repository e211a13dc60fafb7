"""The mask decoder with its prompt encoder: on the prompt frame a box (two corner points with
SAM2's labels 2 and 3) is drawn as a soft rectangle beside the embedding; on later frames the
points are padding (label -1), and the memory-conditioned embedding and a dense mask prompt (SAM's
`mask_input`: the previous frame's mask logits; zeros on the prompt frame) say which object."""
import torch
from torch import nn

from .image_encoder import EMBED, HIGH_RES_0, HIGH_RES_1, HIGH_RES_FULL
from .layers import SeparableBlock, conv_bn, upsample

POINTER = 32
HIDDEN = 32
REFINE = 16


class Residual(nn.Module):
    """A depthwise-separable residual block without batch norm: the full-resolution stage is trained
    with batch norm frozen, where a fresh norm's statistics would never be learnt."""

    def __init__(self, c):
        super().__init__()
        self.depthwise = nn.Conv2d(c, c, 3, 1, 1, groups=c)
        self.pointwise = nn.Conv2d(c, c, 1)

    def forward(self, x):
        return torch.relu(x + self.pointwise(self.depthwise(x)))


def box_map(point_coords, point_labels, size, image_size):
    """[B, 1, size, size]: 1 inside the box, 0 outside, with one-pixel soft edges; zeros unless the
    first point is a box corner (label 2)."""
    is_box = torch.clamp(point_labels[:, 0] - 1.0, 0.0, 1.0).view(-1, 1, 1, 1)
    centres = (torch.arange(size, dtype=torch.float32) + 0.5) * (image_size / size)
    x = centres.view(1, 1, 1, size)
    y = centres.view(1, 1, size, 1)
    x0 = point_coords[:, 0, 0].view(-1, 1, 1, 1)
    y0 = point_coords[:, 0, 1].view(-1, 1, 1, 1)
    x1 = point_coords[:, 1, 0].view(-1, 1, 1, 1)
    y1 = point_coords[:, 1, 1].view(-1, 1, 1, 1)
    inside = torch.sigmoid(x - x0) * torch.sigmoid(x1 - x) * torch.sigmoid(y - y0) * torch.sigmoid(y1 - y)
    return inside * is_box


class MaskDecoder(nn.Module):
    """(point_coords [B, 2, 2] in pixels of S, point_labels [B, 2], image_embed [B, 48, S/8, S/8],
    high_res_0 [B, 16, S/2, S/2], high_res_1 [B, 32, S/4, S/4], mask_input [B, 1, M, M], with full_res high_res_full [B, 8, S, S]) ->
    pred_mask [B, 1, M, M] (logits; M = S/2, upsampled bilinearly to the frame by the caller as
    SAM2's are, or M = S with full_res), mask_for_mem [B, 1, S/2, S/2] (probabilities),
    object_pointer [B, 32]."""

    def __init__(self, image_size, wide=False, full_res=False):
        super().__init__()
        self.image_size = image_size
        # wide: twice the channels at strides 4 and 2, full 3x3 convolutions there, and the box and
        # the mask prompt at stride 4 too (measured in docs/perception.md; not the shipped tracker's).
        self.wide = wide
        mid, high = (32, 16) if wide else (16, 8)
        self.low = nn.Sequential(conv_bn(EMBED + 2, HIDDEN), SeparableBlock(HIDDEN))
        self.up1 = nn.Conv2d(HIDDEN, mid, 1)
        self.skip1 = nn.Conv2d(HIGH_RES_1 + (2 if wide else 0), mid, 1)
        self.mid = nn.Sequential(nn.BatchNorm2d(mid), nn.ReLU(), *([conv_bn(mid, mid)] if wide else []), SeparableBlock(mid))
        self.up0 = nn.Conv2d(mid, high, 1)
        self.skip0 = nn.Conv2d(HIGH_RES_0 + 2, high, 1)
        self.high = nn.Sequential(nn.BatchNorm2d(high), nn.ReLU(), *([conv_bn(high, high), SeparableBlock(high)] if wide else []), SeparableBlock(high))
        self.logits = nn.Conv2d(high, 1, 1)
        self.pointer = nn.Linear(HIDDEN, POINTER)
        # full_res: masks at the frame's resolution. Each stride-2 cell's four pixels get their own
        # correction of the upsampled logits (a pixel shuffle), from the finest decoder features,
        # the encoder's full-resolution features and the previous mask's own four pixels, all
        # folded into the cell: at 128 x 128 a cube is 8-10 pixels across, and a mask that cannot
        # see the last one's edges and the frame's to the pixel cannot keep them. The correction
        # starts at zero, so that a half-resolution tracker grown into this one starts close to
        # itself (not exactly: its mask prompt is now the pooled full-resolution mask).
        self.full_res = full_res
        if full_res:
            self.refine = nn.Sequential(nn.Conv2d(high + 4 + 4 * HIGH_RES_FULL, REFINE, 1), nn.ReLU(),
                                        Residual(REFINE), Residual(REFINE), nn.Conv2d(REFINE, 4, 3, 1, 1))
            nn.init.zeros_(self.refine[-1].weight)
            nn.init.zeros_(self.refine[-1].bias)

    def forward(self, point_coords, point_labels, image_embed, high_res_0, high_res_1, mask_input, high_res_full=None):
        s = self.image_size
        # With full_res the prompt's logits are pooled to the decoder's finest level before the
        # sigmoid: close to the half-resolution logits a grown tracker was trained on.
        prior = torch.sigmoid(nn.functional.avg_pool2d(mask_input, 2) if self.full_res else mask_input)
        prior_low = nn.functional.avg_pool2d(prior, 4)
        low = self.low(torch.cat([image_embed, box_map(point_coords, point_labels, s // 8, s), prior_low], 1))
        # 1x1 projections before upsampling: the same maps, computed on 4 times fewer pixels.
        at_stride4 = [high_res_1, box_map(point_coords, point_labels, s // 4, s), nn.functional.avg_pool2d(prior, 2)] if self.wide else [high_res_1]
        mid = self.mid(upsample(self.up1(low), 2) + self.skip1(torch.cat(at_stride4, 1)))
        high = self.high(upsample(self.up0(mid), 2) + self.skip0(torch.cat([high_res_0, box_map(point_coords, point_labels, s // 2, s), prior], 1)))
        pred_mask = self.logits(high)
        if self.full_res:
            cells = [high, nn.functional.pixel_unshuffle(torch.sigmoid(mask_input), 2), nn.functional.pixel_unshuffle(high_res_full, 2)]
            pred_mask = upsample(pred_mask, 2) + nn.functional.pixel_shuffle(self.refine(torch.cat(cells, 1)), 2)
            mask_for_mem = torch.sigmoid(nn.functional.avg_pool2d(pred_mask, 2))
        else:
            mask_for_mem = torch.sigmoid(pred_mask)
        weights = nn.functional.avg_pool2d(mask_for_mem, 4)
        pooled = (low * weights).sum((2, 3)) / (weights.sum((2, 3)) + 1e-3)
        return pred_mask, mask_for_mem, self.pointer(pooled)
