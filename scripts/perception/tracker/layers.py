"""Building blocks shared by the four modules."""
import torch
from torch import nn


def conv_bn(c_in, c_out, k=3, stride=1):
    """Conv, batch norm (folded into the conv at export), ReLU."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class SeparableBlock(nn.Module):
    """A residual depthwise-separable block: most of a 3x3 conv's reach at a fraction of its cost."""

    def __init__(self, c):
        super().__init__()
        self.depthwise = nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)
        self.pointwise = nn.Conv2d(c, c, 1, bias=False)
        self.norm = nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(x + self.norm(self.pointwise(self.depthwise(x))))


def upsample(x, factor):
    return nn.functional.interpolate(x, scale_factor=factor, mode='bilinear', align_corners=False)
