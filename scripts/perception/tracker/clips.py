"""Training clips from the harness's own renders (`sam2grasp train-perception` collects them):
short runs of scene-camera frames, one object to follow from a box prompt on the first frame, and
frames blacked out as the occlusion wrapper does, so the memory path must carry the object."""
import json
import os

import numpy as np
import torch

OBJECT_BASE = 16
DISTRACTOR = 250
MIN_PROMPT_PIXELS = 12
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
# The simulated detector's noise (TaskSpec perception.detector defaults): the prompts the tracker meets.
BOX_JITTER = 1.0
BOX_SCALE_ERROR = 0.05


class FrameStore:
    """The collected frames: rgb [F, H, W, 3] and ids [F, H, W] as memory maps, and the episodes."""

    def __init__(self, folder):
        with open(os.path.join(folder, 'frames.json')) as f:
            meta = json.load(f)
        self.size = meta['height']
        n = meta['frames']
        self.rgb = np.memmap(os.path.join(folder, 'rgb.bin'), dtype=np.uint8, mode='r', shape=(n, self.size, self.size, 3))
        self.ids = np.memmap(os.path.join(folder, 'ids.bin'), dtype=np.uint8, mode='r', shape=(n, self.size, self.size))
        self.episodes = meta['episodes']

    def split(self, held_out_share):
        """Episodes for training and for validation (the last ones)."""
        k = max(1, int(round(len(self.episodes) * held_out_share)))
        return self.episodes[:-k], self.episodes[-k:]


def normalise(rgb):
    """uint8 [..., H, W, 3] -> float32 [..., 3, H, W], ImageNet-normalised as SAM2's preprocessing."""
    x = (rgb.astype(np.float32) / 255.0 - MEAN) / STD
    return np.moveaxis(x, -1, -3)


def blackout_schedule(rng, length):
    """Which frames of a clip are black: none, frames drawn independently at a level up to 0.7, or
    one contiguous window; the prompt frame never."""
    black = np.zeros(length, dtype=bool)
    u = rng.random()
    if u < 0.35:
        return black
    if u < 0.7:
        black[1:] = rng.random(length - 1) < rng.uniform(0.1, 0.7)
    else:
        window = rng.integers(1, length)
        start = rng.integers(1, length - window + 1)
        black[start:start + window] = True
    return black


def prompt_box(rng, mask):
    """The tight box of a mask with the detector's noise: x0, y0, x1, y1 in pixels."""
    ys, xs = np.nonzero(mask)
    x0, x1, y0, y1 = xs.min(), xs.max() + 1.0, ys.min(), ys.max() + 1.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    scale = 1 + BOX_SCALE_ERROR * rng.standard_normal()
    hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
    jitter = BOX_JITTER * rng.standard_normal(4)
    size = mask.shape[0]
    box = np.array([cx - hw + jitter[0], cy - hh + jitter[1], cx + hw + jitter[2], cy + hh + jitter[3]])
    return np.clip(box, 0, size).astype(np.float32)


def sample_clip(store, episodes, rng, length, blackout=True, target_share=0.4, from_start=0.0):
    """One clip: (frames [T, 3, H, W], box [4], masks [T, H, W], foreground [T, H, W], black [T]), or
    None when the drawn start shows no object big enough to prompt. A `from_start` share of clips
    begins at the episode's first frame at the control rate, as evaluation prompts the tracker."""
    ep = episodes[rng.integers(len(episodes))]
    n = ep['frames']
    if from_start > 0 and rng.random() < from_start and length <= n:
        return clip_at(store, ep, rng, ep['offset'] + np.arange(length), blackout, target_share)
    stride = int(rng.choice([1, 1, 2, 3]))
    while stride > 1 and (length - 1) * stride >= n:
        stride -= 1
    if (length - 1) * stride >= n:
        return None
    start = ep['offset'] + rng.integers(0, n - (length - 1) * stride)
    return clip_at(store, ep, rng, start + stride * np.arange(length), blackout, target_share)


def clip_at(store, ep, rng, rows, blackout, target_share):
    """The clip of the given frame rows, or None when its first frame shows no object big enough to prompt."""
    length = len(rows)
    ids = np.asarray(store.ids[rows])
    first = ids[0]
    objects = [i for i in range(ep['objects']) if (first == OBJECT_BASE + i).sum() >= MIN_PROMPT_PIXELS]
    if not objects:
        return None
    target = ep['target'] if ep['target'] in objects and rng.random() < target_share else objects[rng.integers(len(objects))]
    masks = ids == OBJECT_BASE + target
    foreground = (ids >= OBJECT_BASE) & (ids != DISTRACTOR)
    black = blackout_schedule(rng, length) if blackout else np.zeros(length, dtype=bool)
    rgb = np.asarray(store.rgb[rows]).copy()
    rgb[black] = 0
    foreground[black] = False
    return normalise(rgb), prompt_box(rng, masks[0]), masks, foreground, black


def batch(store, episodes, rng, size, length, blackout=True, target_share=0.4, from_start=0.0):
    out = []
    while len(out) < size:
        clip = sample_clip(store, episodes, rng, length, blackout, target_share, from_start)
        if clip is not None:
            out.append(clip)
    frames, boxes, masks, fg, black = (np.stack(x) for x in zip(*out))
    return (torch.from_numpy(frames), torch.from_numpy(boxes), torch.from_numpy(masks.astype(np.float32)),
            torch.from_numpy(fg.astype(np.float32)), torch.from_numpy(black))
