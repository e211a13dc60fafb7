"""Trains the learned tracker on collected frames and exports its four modules to ONNX.

Run by `npm run train:perception` (which collects the frames first); Python and PyTorch are a
maintainer's tools, never needed to install, run or test the harness.

    python3 train_tracker.py --data results/tracker-data --out assets/models/tracker
"""
import argparse
import json
import math
import os
import platform
import sys
import time

# torch's own pool of --threads threads already fills the cores; OpenBLAS's threads beside it
# oversubscribe them: a fine-tune step took 1.5 s with them and 0.7 s without (docs/perception.md).
# Set before numpy and torch load the library.
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

try:
    import numpy as np
    import onnx
    import torch
    import torch.nn.functional as F
except ImportError as missing:
    print(f'train_tracker: {missing.name} is missing: apt-get install python3-torch python3-onnx libopenblas0-pthread', file=sys.stderr)
    sys.exit(2)

from tracker.clips import FrameStore, batch
from tracker.export import export_modules, write_manifest
from tracker.video_tracker import ARCHITECTURES, VideoTracker, tracker_for_state

MIN_SCORED_PIXELS = 5


def upsampled(logits, size):
    """Logits [B, T, 1, h, w] -> [B, T, size, size], bilinear as the harness upsamples them."""
    b, t = logits.shape[:2]
    return F.interpolate(logits.flatten(0, 1), size=(size, size), mode='bilinear', align_corners=False).view(b, t, size, size)


def moved(masks, jitter, generator):
    """[B, T, S, S] masks, each moved by up to `jitter` pixels in x and in y (rolled): the mask
    prompt a tracker meets, never exactly on the object. The masks themselves when jitter is 0."""
    if jitter == 0:
        return masks
    shifts = torch.randint(-jitter, jitter + 1, (*masks.shape[:2], 2), generator=generator).tolist()
    return torch.stack([torch.stack([torch.roll(m, (dy, dx), (0, 1)) for m, (dx, dy) in zip(clip, row)]) for clip, row in zip(masks, shifts)])


def losses(model, frames, boxes, masks, fg, teacher_share=0.0, generator=None, jitter=0):
    teacher = None
    if teacher_share > 0:
        flags = torch.rand(masks.shape[:2], generator=generator) < teacher_share
        teacher = (masks, flags, moved(masks, jitter, generator))
    pred, fg_pred = model(frames, boxes, teacher)
    size = masks.shape[-1]
    pred, fg_pred = upsampled(pred, size), upsampled(fg_pred, size)
    bce = F.binary_cross_entropy_with_logits(pred, masks)
    p = torch.sigmoid(pred)
    dice_per_frame = 1 - (2 * (p * masks).sum((2, 3)) + 1) / (p.sum((2, 3)) + masks.sum((2, 3)) + 1)
    dice = dice_per_frame.mean()
    fg_bce = F.binary_cross_entropy_with_logits(fg_pred, fg)
    parts = {'bce': bce.item(), 'dice': dice.item(), 'dicePrompt': dice_per_frame[:, 0].mean().item(), 'fg': fg_bce.item()}
    return bce + dice + 0.5 * fg_bce, parts


def iou(pred, truth):
    inter = (pred & truth).sum((-2, -1)).float()
    union = (pred | truth).sum((-2, -1)).float()
    return inter / union.clamp(min=1)


THRESHOLDS = (-3.0, -2.5, -2.0, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0, 0.5)


@torch.no_grad()
def scores(model, store, episodes, seed, clips, length=12):
    """Per logit threshold, the IoUs with the true mask on held-out clips: of frames that show the
    object, of blacked-out frames (from memory), and of the foreground on shown frames."""
    model.eval()
    rng = np.random.default_rng(seed)
    out = {t: {'seen': [], 'blind': [], 'fg': []} for t in THRESHOLDS}
    for _ in range(clips // 20):
        frames, boxes, masks, fg, black = batch(store, episodes, rng, 20, length)
        pred, fg_pred = model(frames, boxes)
        size = masks.shape[-1]
        pred, fg_pred = upsampled(pred, size), upsampled(fg_pred, size)
        scored = masks.sum((2, 3)) >= MIN_SCORED_PIXELS
        for t in THRESHOLDS:
            s = iou(pred > t, masks.bool())
            out[t]['seen'] += s[scored & ~black].tolist()
            out[t]['blind'] += s[scored & black].tolist()
            out[t]['fg'] += iou(fg_pred > t, fg.bool())[~black].tolist()
    model.train()
    return out


def mean(xs):
    return float(np.mean(xs)) if xs else None


def calibrate(model, store, episodes, seed, clips=200):
    """The logit thresholds of the mask and of the foreground that give the best mean IoU on
    held-out clips (a model trained with dice is not calibrated at 0). They go in the manifest."""
    s = scores(model, store, episodes, seed, clips)
    mask = max(THRESHOLDS, key=lambda t: mean(s[t]['seen']))
    foreground = max(THRESHOLDS, key=lambda t: mean(s[t]['fg']))
    return mask, foreground


def validate(model, store, episodes, seed, mask_threshold, fg_threshold, clips=200):
    """Mean IoUs at the chosen thresholds, on other held-out clips than the calibration's."""
    s = scores(model, store, episodes, seed, clips)
    return {'visibleIoU': mean(s[mask_threshold]['seen']), 'blindIoU': mean(s[mask_threshold]['blind']), 'foregroundIoU': mean(s[fg_threshold]['fg']),
            'visibleFrames': len(s[mask_threshold]['seen']), 'blindFrames': len(s[mask_threshold]['blind'])}


def blas_library():
    """The folder of the BLAS torch loaded (Debian's alternatives choose it): `openblas-pthread`,
    or `blas` for the reference BLAS, on which the memory attention's matrix products take two
    thirds of a fine-tune step, and the run gives other bytes."""
    with open('/proc/self/maps') as f:
        folders = {os.path.basename(os.path.dirname(line.split()[-1])) for line in f if 'libblas.so' in line or 'libopenblas' in line}
    return min(folders, default='unknown')


def parse_args(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--length', type=int, default=4)
    parser.add_argument('--lr', type=float, default=3e-3)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--memory-frames', type=int, default=4)
    parser.add_argument('--held-out', type=float, default=0.05)
    parser.add_argument('--teacher', type=float, default=1.0, help='share of frames whose memory and next mask prompt get the true mask in the first stage')
    parser.add_argument('--teacher-fade', action='store_true', help="the first stage's teacher share fades to a quarter of itself by the stage's middle (the wide tracker's recipe)")
    parser.add_argument('--jitter', type=int, default=2, help="pixels (at most, in x and in y) by which a teacher's mask is moved before it serves as the mask prompt, in every stage")
    parser.add_argument('--target-share', type=float, default=0.8, help="share of clips that follow the episode's target (the object the expert lifts)")
    parser.add_argument('--arch', choices=ARCHITECTURES, default='unet', help='the image encoder and mask decoder: unet (shipped), wide (the second tracker), narrow (the first); docs/perception.md')
    parser.add_argument('--prompt-dropout', type=float, default=0.0, help="share of later frames trained without the mask prompt, from the memory alone")
    parser.add_argument('--from-start', type=float, default=0.0, help="share of clips that start at the episode's first frame, at the control rate, as evaluation prompts")
    parser.add_argument('--frozen-norm', action='store_true', help='batch norm in inference mode while training (its running statistics, as exported), for fine-tuning from --init')
    parser.add_argument('--finetune-steps', type=int, default=300, help='steps of the second stage (FINETUNE: whole grasps from the prompt frame, batch norm frozen); 0: none')
    parser.add_argument('--finetune-rounds', type=int, default=4, help='times the second stage runs, each with fresh Adam, its own cosine and the same data; the same as re-running it with --init (docs/perception.md)')
    parser.add_argument('--full-res-steps', type=int, default=0, help='steps of a third stage (FULL_RES): the tracker grown to masks at the frame\'s resolution, then trained as in FINETUNE; 0: none')
    parser.add_argument('--init', default=None, help='a state_dict to start from (fine-tuning, e.g. on longer clips) instead of random weights')
    parser.add_argument('--collect-seconds', type=float, default=None, help='wall time of the frame collection, for the record')
    args = parser.parse_args(argv)
    if args.finetune_rounds < 1:
        parser.error('--finetune-rounds: at least 1')
    if args.full_res_steps > 0 and args.arch != 'wide':
        parser.error('--full-res-steps: grows the wide tracker only (--arch wide)')
    return args


def freeze_norm(model):
    """Batch norm normalises by its running statistics, as the exported model does. In training mode
    it normalises each time step by that step's batch, which carries what the frames of the step
    share (the hand over the objects late in a grasp): the trained model then leans on it and fails
    in inference, where the running mean stands in."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eval()


# The second stage of the recipe (`--finetune-steps`): whole grasps from the prompt frame, as
# evaluation runs the tracker, with batch norm frozen (docs/perception.md, *Batch norm, frozen*).
FINETUNE = {'batch': 4, 'length': 28, 'lr': 1e-3, 'teacher': 0.2, 'from_start': 0.7, 'frozen_norm': True}


# The third stage (`--full-res-steps`): the tracker grown to full-resolution masks (the mask
# decoder's `refine`, which starts at zero), trained as the second.
FULL_RES = {**FINETUNE, 'grow': True}


def stages(args):
    """The training stages: the one the flags describe, then the frozen-norm fine-tune and the
    full-resolution stage if asked."""
    first = {'name': 'main', 'steps': args.steps, 'batch': args.batch, 'length': args.length, 'lr': args.lr, 'teacher': args.teacher,
             'from_start': args.from_start, 'frozen_norm': args.frozen_norm, 'fade': args.teacher_fade}
    out = [first] if args.steps > 0 else []
    if args.finetune_steps > 0:
        # Rounds after the first are named finetune2, finetune3...: one word, as the progress bar reads them.
        out += [{'name': 'finetune' + (str(r + 1) if r else ''), 'steps': args.finetune_steps, **FINETUNE} for r in range(args.finetune_rounds)]
    if args.full_res_steps > 0:
        out.append({'name': 'fullres', 'steps': args.full_res_steps, **FULL_RES})
    return out


def grown(model, args):
    """The same tracker with full-resolution masks: every trained weight kept, the new `refine`
    at zero, so that it starts where the half-resolution one ends. Its other new weights are drawn
    from their own seed: the stage then starts alike in one process and from saved weights."""
    torch.manual_seed(args.seed + 3000)
    bigger = VideoTracker(image_size=model.image_size, memory_frames=args.memory_frames, wide=True, prompt_dropout=args.prompt_dropout, full_res=True)
    missing, unexpected = bigger.load_state_dict(model.state_dict(), strict=False)
    assert not unexpected and all(k.startswith('mask_decoder.refine.') for k in missing), (missing, unexpected)
    return bigger


def run_stage(model, stage, args, store, train_eps, history, started):
    """One stage: Adam from fresh state, its own cosine schedule, and the data streams seeded anew, so
    that a stage run in the same process gives what it gives when started from the saved weights."""
    if stage['frozen_norm']:
        freeze_norm(model)
    opt = torch.optim.Adam(model.parameters(), lr=stage['lr'])
    rng = np.random.default_rng(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    steps = stage['steps']
    running = None
    for step in range(steps):
        lr = stage['lr'] * 0.5 * (1 + math.cos(math.pi * step / steps))
        for group in opt.param_groups:
            group['lr'] = lr
        frames, boxes, masks, fg, _ = batch(store, train_eps, rng, stage['batch'], stage['length'], target_share=args.target_share, from_start=stage['from_start'])
        # Teacher forcing fades over the first half of a fading stage: the memory and the mask prompt then mostly
        # learn from their own masks. The U-Net's first stage does not fade: it learns to propagate a moved true mask.
        teacher_share = stage['teacher'] * (max(0.25, 1 - 2 * step / steps) if stage.get('fade', True) else 1.0)
        loss, parts = losses(model, frames, boxes, masks, fg, teacher_share, generator, args.jitter)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if (step + 1) % 25 == 0 or step == 0:
            elapsed = time.time() - started
            history.append({'stage': stage['name'], 'step': step + 1, 'loss': round(running, 5), **{k: round(v, 5) for k, v in parts.items()}, 'seconds': round(elapsed, 1)})
            print(f'{stage["name"]} step {step + 1}/{steps} loss {running:.4f} (bce {parts["bce"]:.4f} dice {parts["dice"]:.4f}, prompt frame {parts["dicePrompt"]:.4f}, fg {parts["fg"]:.4f}) {elapsed:.0f} s', flush=True)
        if (step + 1) % 100 == 0:
            torch.save(model.state_dict(), os.path.join(args.out, 'checkpoint.pt'))


def train(args, store, train_eps):
    """The training stages; returns the model and the loss history."""
    if args.init:
        model = tracker_for_state(torch.load(args.init), store.size, memory_frames=args.memory_frames, prompt_dropout=args.prompt_dropout)
    else:
        model = VideoTracker(image_size=store.size, memory_frames=args.memory_frames, prompt_dropout=args.prompt_dropout, wide=args.arch == 'wide', unet=args.arch == 'unet')
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    history = []
    for stage in stages(args):
        if stage.get('grow') and not model.mask_decoder.full_res:
            model = grown(model, args)
        run_stage(model, stage, args, store, train_eps, history, started)
        torch.save(model.state_dict(), os.path.join(args.out, f'{stage["name"]}.pt'))
    if os.path.exists(os.path.join(args.out, 'checkpoint.pt')):
        os.remove(os.path.join(args.out, 'checkpoint.pt'))
    torch.save(model.state_dict(), os.path.join(args.out, 'final.pt'))
    return model, history


def finish(args, model, store, train_eps, val_eps, history, train_seconds, blas):
    """Calibrates, validates and exports the trained model, with its manifest and training record."""
    mask_threshold, fg_threshold = calibrate(model, store, val_eps, args.seed + 2000)
    validation = validate(model, store, val_eps, args.seed + 1000, mask_threshold, fg_threshold)
    print(f'thresholds: mask {mask_threshold}, foreground {fg_threshold}', flush=True)
    print(f'validation: {json.dumps(validation)}', flush=True)
    modules = export_modules(model, args.out, args.memory_frames)
    for m in modules.values():
        onnx.checker.check_model(os.path.join(args.out, m['file']))
    record = {
        'model': 'learned tracker: image encoder, memory attention, mask decoder, memory encoder (scripts/perception/tracker)',
        'parameters': sum(p.numel() for p in model.parameters()),
        'data': {'folder': args.data, 'episodes': len(store.episodes), 'trainEpisodes': len(train_eps), 'heldOutEpisodes': len(val_eps), 'frames': int(store.rgb.shape[0])},
        'training': {'stages': stages(args), 'schedule': 'cosine to 0 in each stage, Adam from fresh state', 'seed': args.seed,
                     'teacherForcing': 'the stage\'s teacher share of frames at its start, fading to a quarter of that at its middle',
                     'threads': args.threads, 'init': args.init, 'targetShare': args.target_share, 'memoryFrames': args.memory_frames, 'architecture': args.arch, 'promptDropout': args.prompt_dropout, 'fullResolution': model.mask_decoder.full_res, 'loss': 'BCE + dice on the mask (bilinearly upsampled logits), 0.5 BCE on the foreground'},
        'history': history,
        'thresholds': {'mask': mask_threshold, 'foreground': fg_threshold, 'chosenOn': 'other held-out clips than the validation'},
        'validation': validation,
        'trainSeconds': round(train_seconds, 1),
        'collectSeconds': args.collect_seconds,
        'versions': {'python': platform.python_version(), 'torch': torch.__version__, 'onnx': onnx.__version__, 'numpy': np.__version__, 'blas': blas},
    }
    write_manifest(args.out, modules, store.size, args.memory_frames, mask_threshold, fg_threshold,
                   {'name': 'learned', 'description': 'The harness\'s own learned tracker, trained on its renders (not SAM2): scripts/perception/train_tracker.py'})
    with open(os.path.join(args.out, 'training-tracker.json'), 'w') as f:
        json.dump(record, f, indent=2)
        f.write('\n')


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    blas = blas_library()
    if blas == 'blas':
        print('train_tracker: torch runs on the reference BLAS: training takes about twice as long, with other bytes than the shipped tracker; apt-get install libopenblas0-pthread', file=sys.stderr)
    started = time.time()
    store = FrameStore(args.data)
    train_eps, val_eps = store.split(args.held_out)
    model, history = train(args, store, train_eps)
    finish(args, model, store, train_eps, val_eps, history, time.time() - started, blas)
    print(f'done in {time.time() - started:.0f} s: {args.out}')


if __name__ == '__main__':
    main()
