"""DESIGN.md's feasibility probe, on the frames `train-perception` collects, scored beside a tracker.

A plain U-Net reads RGB and the previous frame's mask as a fourth channel (the prompt box's
rectangle on the first frame). It is trained on single frames whose previous mask is the true one
moved by up to 2 pixels, then run recurrently on its own masks over the first 30 frames of the
held-out episodes (the same split as `train_tracker.py`). A tracker checkpoint (a `final.pt` of
`train_tracker.py`) runs on the same frames from the same prompt box, and both are scored as IoU with
the target's true pixels on frames where it shows. It has no memory and no split into SAM2's
modules: it measures what mask propagation alone reaches on these frames, and at what cost.
A maintainer's diagnostic (docs/perception.md), never part of the harness.

    python3 feasibility_probe.py --data ../../results/tracker-data --tracker DIR/final.pt --minutes 7 [--tasks cubes,pile,packed] [--half] [--late-prompt]
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from tracker.clips import OBJECT_BASE, FrameStore, normalise, prompt_box
from tracker.layers import conv_bn, upsample
from tracker.video_tracker import tracker_for_state

BATCH = 16
EPISODE_FRAMES = 30
MIN_SCORED_PIXELS = 5
MIN_PROMPT_PIXELS = 12
JITTER = 2


class ProbeUNet(nn.Module):
    """RGB + previous mask [B, 4, S, S] -> mask logits [B, 1, S, S]: four levels from full
    resolution (`half`: three from S/2, on 2x2 cells folded into channels, the cost measured).
    `late_prompt`: as SAM2 cuts it, the down path reads the pixels only and the previous mask joins
    at every level of the up path, as our tracker's decoder takes its mask prompt."""

    def __init__(self, half=False, late_prompt=False):
        super().__init__()
        self.half = half
        self.late_prompt = late_prompt
        c = (16, 24, 32, 48) if half else (16, 32, 48, 64)
        c_in = (12 if half else 3) if late_prompt else (16 if half else 4)
        levels = c[1:] if half else c
        self.down = nn.ModuleList([nn.Sequential(conv_bn(c_in if i == 0 else levels[i - 1], levels[i], stride=1 if i == 0 else 2), conv_bn(levels[i], levels[i]))
                                   for i in range(len(levels))])
        self.up = nn.ModuleList([conv_bn(levels[i + 1] + levels[i] + (self.prompt_channels(i) if late_prompt else 0), levels[i])
                                 for i in reversed(range(len(levels) - 1))])
        self.out = nn.Conv2d(levels[0], 4 if half else 1, 1)

    def prompt_channels(self, level):
        return 4 if self.half and level == 0 else 1

    def prompt_at(self, prior, level, size):
        """The previous mask at a level: its own pixels folded into 2x2 cells at the `half` probe's
        finest level, pooled to the level's size elsewhere."""
        return F.pixel_unshuffle(prior, 2) if self.half and level == 0 else F.adaptive_avg_pool2d(prior, size)

    def forward(self, x):
        prior = x[:, 3:4]
        if self.late_prompt:
            x = x[:, :3]
        if self.half:
            x = F.pixel_unshuffle(x, 2)
        skips = []
        for level in self.down:
            x = level(x)
            skips.append(x)
        for k, (block, skip) in enumerate(zip(self.up, reversed(skips[:-1]))):
            parts = [upsample(x, 2), skip]
            if self.late_prompt:
                parts.append(self.prompt_at(prior, len(self.up) - 1 - k, skip.shape[-2:]))
            x = block(torch.cat(parts, 1))
        out = self.out(x)
        return F.pixel_shuffle(out, 2) if self.half else out


def rectangle(box, size):
    out = np.zeros((size, size), np.float32)
    x0, y0, x1, y1 = box
    out[int(max(0, np.floor(y0))):int(np.ceil(y1)), int(max(0, np.floor(x0))):int(np.ceil(x1))] = 1
    return out


def target_mask(store, ep, t):
    return np.asarray(store.ids[ep['offset'] + t]) == OBJECT_BASE + ep['target']


def training_example(store, ep, rng):
    """(input [4, S, S], truth [1, S, S]) of a random frame of the episode, or None."""
    t = int(rng.integers(0, min(ep['frames'], EPISODE_FRAMES)))
    truth = target_mask(store, ep, t)
    if t == 0:
        if truth.sum() < MIN_PROMPT_PIXELS:
            return None
        previous = rectangle(prompt_box(rng, truth), store.size)
    else:
        dx, dy = rng.integers(-JITTER, JITTER + 1, 2)
        previous = np.roll(target_mask(store, ep, t - 1).astype(np.float32), (dy, dx), (0, 1))
    image = normalise(np.asarray(store.rgb[ep['offset'] + t]))
    return np.concatenate([image, previous[None]], 0), truth[None].astype(np.float32)


def train(model, store, episodes, minutes, seed):
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    rng = np.random.default_rng(seed)
    started, step = time.time(), 0
    while time.time() - started < minutes * 60:
        examples = []
        while len(examples) < BATCH:
            example = training_example(store, episodes[rng.integers(len(episodes))], rng)
            if example is not None:
                examples.append(example)
        x, y = (torch.from_numpy(np.stack(v)) for v in zip(*examples))
        logits = model(x)
        p = torch.sigmoid(logits)
        dice = 1 - (2 * (p * y).sum((1, 2, 3)) + 1) / (p.sum((1, 2, 3)) + y.sum((1, 2, 3)) + 1)
        loss = F.binary_cross_entropy_with_logits(logits, y) + dice.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            print(f'step {step} loss {loss.item():.4f} {time.time() - started:.0f} s', flush=True)
    return step


def iou(pred, truth):
    return (pred & truth).sum() / max(1, (pred | truth).sum())


@torch.no_grad()
def score(probe, tracker, store, episodes, task):
    """Mean IoU of the probe and of the tracker over the frames of the task's held-out episodes."""
    out = {'probe': [], 'tracker': []}
    for ep in (e for e in episodes if e['task'] == task):
        n = min(ep['frames'], EPISODE_FRAMES)
        truth = np.stack([target_mask(store, ep, t) for t in range(n)])
        if truth[0].sum() < MIN_PROMPT_PIXELS:
            continue
        frames = normalise(np.asarray(store.rgb[ep['offset']:ep['offset'] + n]))
        box = prompt_box(np.random.default_rng(ep['offset']), truth[0])
        logits, _ = tracker(torch.from_numpy(frames).unsqueeze(0), torch.from_numpy(box).unsqueeze(0))
        tracked = F.interpolate(logits[0], size=(store.size, store.size), mode='bilinear', align_corners=False)[:, 0].numpy() > 0
        previous = rectangle(box, store.size)
        for t in range(n):
            pred = probe(torch.from_numpy(np.concatenate([frames[t], previous[None]], 0)).unsqueeze(0))[0, 0].numpy() > 0
            previous = pred.astype(np.float32)
            if truth[t].sum() >= MIN_SCORED_PIXELS:
                out['probe'].append(iou(pred, truth[t]))
                out['tracker'].append(iou(tracked[t], truth[t]))
    return {k: (float(np.mean(v)), float(np.median(v)), len(v)) for k, v in out.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', required=True)
    parser.add_argument('--tracker', required=True, help="a train_tracker.py state_dict (final.pt), of any architecture")
    parser.add_argument('--minutes', type=float, default=7)
    parser.add_argument('--tasks', default='cubes', help='the tasks whose episodes the probe trains on')
    parser.add_argument('--half', action='store_true')
    parser.add_argument('--late-prompt', action='store_true', help='the previous mask joins on the up path only, as SAM2 cuts it')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    store = FrameStore(args.data)
    train_eps, val_eps = store.split(0.05)
    probe = ProbeUNet(args.half, args.late_prompt)
    steps = train(probe, store, [e for e in train_eps if e['task'] in args.tasks.split(',')], args.minutes, args.seed)
    probe.eval()
    tracker = tracker_for_state(torch.load(args.tracker), store.size)
    tracker.eval()
    print(f'probe: {sum(p.numel() for p in probe.parameters())} parameters, {steps} steps of {BATCH} frames')
    for task in ('cubes', 'pile', 'packed'):
        print(task, {k: f'mean {m:.3f}, median {med:.3f}, {n} frames' for k, (m, med, n) in score(probe, tracker, store, val_eps, task).items()}, flush=True)


if __name__ == '__main__':
    main()
