"""Wires the four modules as a video predictor does (SAM2's `SAM2VideoPredictor`, in miniature):
the prompt frame is decoded from its own embedding and the box; every later frame from its
embedding after memory attention over the bank, with padding points."""
import torch
from torch import nn

from .image_encoder import ImageEncoder
from .mask_decoder import MaskDecoder
from .memory_attention import MemoryAttention
from .memory_encoder import MemoryEncoder
from .unet_image_encoder import UNetImageEncoder
from .unet_mask_decoder import UNetMaskDecoder

PADDING = -1.0
# The mask prompt of the prompt frame: logits of "nothing", as the adapter sends.
NO_MASK = -10.0
# A true mask as logits, for teacher forcing: +-4 is a confident, not a saturated, mask.
TEACHER_LOGIT = 4.0
BOX_LABELS = (2.0, 3.0)
# The image encoder and mask decoder pairs: the U-Net (shipped), the wide pair of the second tracker
# and the narrow pair of the first (docs/perception.md).
ARCHITECTURES = ('unet', 'wide', 'narrow')


class VideoTracker(nn.Module):
    def __init__(self, image_size=128, memory_frames=4, wide=False, prompt_dropout=0.0, full_res=False, unet=False):
        super().__init__()
        self.image_size = image_size
        self.memory_frames = memory_frames
        self.prompt_dropout = prompt_dropout
        self.image_encoder = UNetImageEncoder() if unet else ImageEncoder(wide, full_res)
        self.mask_decoder = UNetMaskDecoder(image_size) if unet else MaskDecoder(image_size, wide, full_res)
        self.mask_size = image_size if self.mask_decoder.full_res else image_size // 2
        self.memory_encoder = MemoryEncoder()
        self.memory_attention = MemoryAttention(image_size // 8)

    def forward(self, clip, box, teacher=None):
        """clip [B, T, 3, S, S] (normalised), box [B, 4] (x0, y0, x1, y1 in pixels of S) ->
        mask logits [B, T, 1, M, M] (M = S/2, or S with full_res), foreground logits
        [B, T, 1, S/2, S/2]. `teacher` ([B, T, S, S] true masks, [B, T] flags, and [B, T, S, S]
        masks for the mask prompt: the true ones, perhaps moved by a few pixels), in training only,
        puts the true mask instead of the prediction into the memory of the flagged frames (teacher
        forcing): early in training the predictions are noise, and a memory of noise teaches the
        memory path nothing. The prompt mask stands in for the prediction as the next frame's mask
        prompt."""
        b, t = clip.shape[:2]
        corners = box.view(b, 2, 2)
        box_labels = torch.tensor(BOX_LABELS).expand(b, 2)
        padding = torch.full((b, 2), PADDING)
        masks, foregrounds = [], []
        prompt_mem, recent = None, []
        previous = torch.full((b, 1, self.mask_size, self.mask_size), NO_MASK)
        for i in range(t):
            pix_feat, hr0, hr1, foreground, *full = self.image_encoder(clip[:, i])
            if i == 0:
                pred, for_mem, pointer = self.mask_decoder(corners, box_labels, pix_feat, hr0, hr1, previous, *full)
            else:
                if self.training and self.prompt_dropout > 0:
                    # Mask-prompt dropout: some frames must find the object from the memory alone, so
                    # that a mask prompt that has left the object (in the grasp) does not hold it there.
                    drop = (torch.rand(b) < self.prompt_dropout).view(-1, 1, 1, 1).float()
                    previous = drop * NO_MASK + (1 - drop) * previous
                bank = [prompt_mem] + recent
                memory = torch.stack([m for m, _ in bank], 1)
                pointers = torch.stack([p for _, p in bank], 1)
                embed = self.memory_attention(pix_feat, memory, pointers)
                pred, for_mem, pointer = self.mask_decoder(torch.zeros_like(corners), padding, embed, hr0, hr1, previous, *full)
            previous = pred
            if teacher is not None:
                masks_true, flags, prompts = teacher
                use = flags[:, i].view(-1, 1, 1, 1).float()
                true_half = nn.functional.avg_pool2d(masks_true[:, i].unsqueeze(1), 2)
                for_mem = use * true_half + (1 - use) * for_mem
                prompt = prompts[:, i].unsqueeze(1)
                as_prompt = prompt if self.mask_decoder.full_res else nn.functional.avg_pool2d(prompt, 2)
                previous = use * (as_prompt * 2 * TEACHER_LOGIT - TEACHER_LOGIT) + (1 - use) * pred
            entry = (self.memory_encoder(for_mem, pix_feat), pointer)
            if i == 0:
                prompt_mem = entry
            else:
                recent = (recent + [entry])[-self.memory_frames:]
            masks.append(pred)
            foregrounds.append(foreground)
        return torch.stack(masks, 1), torch.stack(foregrounds, 1)


def tracker_for_state(state, image_size, **kwargs):
    """The tracker whose architecture a saved state dict has, with its weights."""
    unet = any(k.startswith('image_encoder.levels.') for k in state)
    wide = any(k.startswith('image_encoder.stride2.2.') for k in state)
    full_res = any(k.startswith('mask_decoder.refine.') for k in state)
    model = VideoTracker(image_size, wide=wide, full_res=full_res, unet=unet, **kwargs)
    model.load_state_dict(state)
    return model
