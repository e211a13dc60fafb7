"""Behaviour cloning on an exported sam2grasp dataset: a small CNN from the scene image and the
robot state to a chunk of future actions, exported to ONNX against the harness's pixels-in
policy contract (README, "ONNX policy contract").

    sam2grasp collect --task cubes --objects 1 --demos 200 --out demos
    sam2grasp export --demos demos --out dataset
    /usr/bin/python3 examples/pytorch/train_bc.py --data dataset --out examples/pytorch/out
    sam2grasp eval --task cubes --objects 1 --episodes 50 --policy onnx:examples/pytorch/out/manifest.json

Needs numpy, torch, onnx and PIL (Debian: python3-torch python3-onnx python3-pil); reads the
Parquet files with parquet_lite.py beside this file, so no pyarrow.

The model sees what the contract gives it: `observation.images.scene` as float32 [1, 3, H, W] RGB
in [0, 1], and `observation.state` normalised by the manifest's proprioNorm. It outputs
[1, K, 5] normalised actions (the harness applies actionNorm: a * std + mean): for frame t, the
demo's actions t .. t + K - 1, the last one repeated past the episode's end.
"""

import argparse
import io
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_lite import read_parquet  # noqa: E402


def load_dataset(root):
    """Scene images (N, H, W, 3) uint8, states (N, 7), actions (N, 5) and episode ids (N,), from every episode file."""
    with open(os.path.join(root, "meta", "info.json")) as f:
        info = json.load(f)
    with open(os.path.join(root, "meta", "episodes.jsonl")) as f:
        episodes = [json.loads(line) for line in f if line.strip()]
    images, states, actions, episode_ids = [], [], [], []
    for ep in episodes:
        i = ep["episode_index"]
        path = os.path.join(root, info["data_path"].format(episode_chunk=i // info["chunks_size"], episode_index=i))
        table = read_parquet(path).columns
        assert table["frame_index"] == list(range(ep["length"])), f"{path}: frames out of order"
        for cell in table["observation.images.scene"]:
            images.append(np.asarray(Image.open(io.BytesIO(cell["bytes"])).convert("RGB")))
        states.extend(table["observation.state"])
        actions.extend(table["action"])
        episode_ids.extend([i] * ep["length"])
    return info, np.stack(images), np.asarray(states, np.float32), np.asarray(actions, np.float32), np.asarray(episode_ids)


def action_chunks(actions, episode_ids, k):
    """For each frame t, the actions t .. t + k - 1 of its episode, the episode's last action repeated past its end."""
    n = len(actions)
    out = np.empty((n, k, actions.shape[1]), np.float32)
    starts = {}
    ends = {}
    for t, e in enumerate(episode_ids):
        starts.setdefault(e, t)
        ends[e] = t
    for t in range(n):
        last = ends[episode_ids[t]]
        idx = np.minimum(np.arange(t, t + k), last)
        out[t] = actions[idx]
    return out


def norm_stats(x):
    """Mean and std per column; a std below 1e-3 (a constant column) becomes 1."""
    mean = x.reshape(-1, x.shape[-1]).mean(0)
    std = x.reshape(-1, x.shape[-1]).std(0)
    std = np.where(std < 1e-3, 1.0, std)
    return mean.astype(np.float32), std.astype(np.float32)


class CnnPolicy(nn.Module):
    """The image halved (2 x 2 average), two coordinate channels added, four convolutions (the
    last three strided twice), flattened so that the layout still says where things are, fused
    with the state, to K x 5 normalised actions."""

    def __init__(self, height, width, chunk, state_dim=7, action_dim=5):
        super().__init__()
        self.chunk, self.action_dim = chunk, action_dim
        h, w = height // 2, width // 2
        ys = torch.linspace(-1, 1, h).view(1, 1, h, 1).expand(1, 1, h, w)
        xs = torch.linspace(-1, 1, w).view(1, 1, 1, w).expand(1, 1, h, w)
        self.register_buffer("coords", torch.cat([xs, ys], 1).contiguous())
        self.conv = nn.Sequential(
            nn.Conv2d(5, 32, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(64, 32, 3, stride=1, padding=1), nn.ReLU(),
        )
        flat = 32 * math.ceil(h / 8) * math.ceil(w / 8)
        self.image_fc = nn.Linear(flat, 128)
        self.state_fc = nn.Linear(state_dim, 64)
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(192, 256), nn.ReLU(), nn.Linear(256, chunk * action_dim))

    def forward(self, image, state):
        x = F.avg_pool2d((image - 0.5) / 0.25, 2)
        x = torch.cat([x, self.coords.expand(image.shape[0], -1, -1, -1)], 1)
        x = self.conv(x).flatten(1)
        h = torch.cat([self.image_fc(x), self.state_fc(state)], 1)
        return self.head(h).view(-1, self.chunk, self.action_dim)


def shift(images, pad):
    """Random translation by up to `pad` pixels (replicated edges): the augmentation of DrQ."""
    n, _, h, w = images.shape
    padded = F.pad(images, (pad, pad, pad, pad), mode="replicate")
    dx = torch.randint(0, 2 * pad + 1, (n,))
    dy = torch.randint(0, 2 * pad + 1, (n,))
    return torch.stack([padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w] for i in range(n)])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="an exported dataset (sam2grasp export --out)")
    p.add_argument("--out", required=True, help="folder for cnn-bc.onnx, manifest.json and training.json")
    p.add_argument("--chunk", type=int, default=20, help="actions per chunk (K)")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--validation", type=float, default=0.1, help="share of episodes held out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    started = time.time()

    info, images, states, actions, episode_ids = load_dataset(args.data)
    loaded = time.time() - started
    n, h, w, _ = images.shape
    print(f"loaded {info['total_episodes']} episodes, {n} frames of {w} x {h} in {loaded:.1f} s", flush=True)
    chunks = action_chunks(actions, episode_ids, args.chunk)
    state_mean, state_std = norm_stats(states)
    action_mean, action_std = norm_stats(actions)

    episodes = sorted(set(episode_ids.tolist()))
    held = set(random.Random(args.seed).sample(episodes, max(1, int(len(episodes) * args.validation))))
    is_val = np.array([e in held for e in episode_ids])
    x_img = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # uint8, converted per batch
    x_state = torch.from_numpy((states - state_mean) / state_std)
    y = torch.from_numpy((chunks - action_mean) / action_std)
    train_idx = np.flatnonzero(~is_val)
    val_idx = np.flatnonzero(is_val)

    model = CnnPolicy(h, w, args.chunk)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * math.ceil(len(train_idx) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    print(f"{params} parameters; {len(train_idx)} training frames, {len(val_idx)} held out ({len(held)} episodes)", flush=True)

    history = []
    for epoch in range(args.epochs):
        model.train()
        order = np.random.permutation(train_idx)
        total = 0.0
        for b in range(0, len(order), args.batch):
            idx = torch.from_numpy(order[b : b + args.batch])
            img = shift(x_img[idx].float().div_(255), 4)
            loss = F.l1_loss(model(img, x_state[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            val = sum(
                F.l1_loss(model(x_img[i].float().div_(255), x_state[i]), y[i], reduction="sum").item()
                for i in (torch.from_numpy(val_idx[b : b + 256]) for b in range(0, len(val_idx), 256))
            ) / max(1, len(val_idx) * args.chunk * 5)
        history.append({"epoch": epoch + 1, "train_l1": total / len(train_idx), "validation_l1": val, "seconds": round(time.time() - started, 1)})
        print(f"epoch {epoch + 1}/{args.epochs}: train L1 {total / len(train_idx):.4f}, validation L1 {val:.4f} ({time.time() - started:.0f} s)", flush=True)

    os.makedirs(args.out, exist_ok=True)
    model.eval()
    image = torch.rand(1, 3, h, w)
    state = torch.zeros(1, 7)
    onnx_path = os.path.join(args.out, "cnn-bc.onnx")
    torch.onnx.export(model, (image, state), onnx_path, input_names=["image", "state"], output_names=["actions"], opset_version=17)
    import onnx

    onnx.checker.check_model(onnx.load(onnx_path))
    manifest = {
        "name": "cnn-bc",
        "file": "cnn-bc.onnx",
        "prompted": False,
        "inputs": {
            "observation.images.scene": {"name": "image", "shape": [1, 3, h, w], "dtype": "float32"},
            "observation.state": {"name": "state", "shape": [1, 7], "dtype": "float32"},
        },
        "output": {"name": "actions", "shape": [1, args.chunk, 5]},
        "proprioNorm": {"mean": state_mean.tolist(), "std": state_std.tolist()},
        "actionNorm": {"mean": action_mean.tolist(), "std": action_std.tolist()},
        "chunkSize": args.chunk,
        "controlHz": info["fps"],
        "description": (
            f"examples/pytorch/train_bc.py: a {params}-parameter CNN on the scene image and the state, behaviour cloning "
            f"(L1, {args.epochs} epochs) on {info['total_episodes']} exported demonstrations; not told the target."
        ),
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    wall = time.time() - started
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump({"args": vars(args), "parameters": params, "frames": n, "load_seconds": round(loaded, 1), "wall_seconds": round(wall, 1), "torch": torch.__version__, "history": history}, f, indent=2)
        f.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and manifest.json in {wall:.0f} s", flush=True)


if __name__ == "__main__":
    main()
