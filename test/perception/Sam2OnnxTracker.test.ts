import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sam2OnnxTracker } from '../../src/perception/index.js';
import { tempDir } from '../cli/helpers.js';
import { blackedOut, frameWith } from './helpers.js';
import { writeTinySam2 } from './tinySam2.js';

const frame = frameWith([{ id: 16, x0: 8, y0: 8, x1: 24, y1: 24 }, { id: 17, x0: 40, y0: 40, x1: 56, y1: 56 }]);
/** Share of a mask's pixels inside a box. */
function shareInside(mask: Uint8Array, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let inside = 0, total = 0;
  mask.forEach((v, i) => {
    if (!v) return;
    total++;
    const x = i % 64, y = Math.floor(i / 64);
    if (x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1) inside++;
  });
  return total ? inside / total : 0;
}

describe('Sam2OnnxTracker on tiny four-module exports', () => {
  const manifest = writeTinySam2(tempDir('tiny-sam2-'), 3);

  it('turns a box prompt into a mask inside the box', async () => {
    const tracker = await Sam2OnnxTracker.load(manifest);
    const result = await tracker.init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    expect(result.mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    expect(shareInside(result.mask, { x0: 0, y0: 0, x1: 32, y1: 32 })).toBe(1);
    expect(result.embedding).toHaveLength(8);
    expect(result.descriptor).toHaveLength(15);
  });

  it('fills its memory bank, rolls it, and feeds it back: later masks follow the prompt through memory', async () => {
    const a = await Sam2OnnxTracker.load(manifest);
    const b = await Sam2OnnxTracker.load(manifest);
    await a.init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    await b.init(frame, { x0: 40, y0: 40, x1: 56, y1: 56 });
    expect(a.memorySize).toBe(1);
    const sizes: number[] = [];
    for (let t = 1; t <= 5; t++) {
      const ra = await a.track(frame);
      const rb = await b.track(frame);
      sizes.push(a.memorySize);
      // No prompt after frame 0: only memory can put each mask where its own prompt was.
      expect(shareInside(ra.mask, { x0: 0, y0: 0, x1: 32, y1: 32 })).toBeGreaterThan(0.9);
      expect(shareInside(rb.mask, { x0: 32, y0: 32, x1: 64, y1: 64 })).toBeGreaterThan(0.9);
    }
    expect(sizes).toEqual([2, 3, 4, 4, 4]); // prompt frame + 3 recent, then rolling
  });

  it('makes fresh trackers that share the loaded modules but not the memory', async () => {
    const first = await Sam2OnnxTracker.load(manifest);
    await first.init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    await first.track(frame);
    const second = first.fresh();
    expect(second.memorySize).toBe(0);
    const result = await second.init(frame, { x0: 40, y0: 40, x1: 56, y1: 56 });
    expect(shareInside(result.mask, { x0: 32, y0: 32, x1: 64, y1: 64 })).toBe(1);
    expect(first.memorySize).toBe(2);
  });

  it('marks frames it cannot see as carried from memory', async () => {
    const tracker = await Sam2OnnxTracker.load(manifest);
    await tracker.init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    const result = await tracker.track(blackedOut(frame));
    expect(result.fromMemory).toBe(true);
    expect(result.mask.some((v) => v === 1)).toBe(true);
  });

  it('hands the decoder every high-resolution feature map it names, our full-resolution one too', async () => {
    // The same tiny export with its first feature map under the full-resolution role: the decoder
    // gets it only if the tracker passes that role through, and then decodes the same mask.
    const dir = tempDir('tiny-sam2-full-');
    const path = writeTinySam2(dir, 3);
    const m = JSON.parse(readFileSync(path, 'utf8'));
    for (const io of [m.modules.imageEncoder.outputs, m.modules.imageDecoder.inputs]) {
      io.highResFull = io.highRes0;
      delete io.highRes0;
    }
    writeFileSync(path, JSON.stringify(m));
    const renamed = await (await Sam2OnnxTracker.load(path)).init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    const original = await (await Sam2OnnxTracker.load(manifest)).init(frame, { x0: 8, y0: 8, x1: 24, y1: 24 });
    expect(renamed.mask).toEqual(original.mask);
  });

  it('refuses an empty or out-of-image prompt box', async () => {
    const tracker = await Sam2OnnxTracker.load(manifest);
    await expect(tracker.init(frame, { x0: 10, y0: 10, x1: 10, y1: 20 })).rejects.toThrow(/prompt box: is empty/);
    await expect(tracker.init(frame, { x0: 70, y0: 10, x1: 80, y1: 20 })).rejects.toThrow(/prompt box: lies outside the 64 x 64 image/);
  });

  describe('manifest checks', () => {
    const variant = (edit: (m: any) => void) => {
      const dir = tempDir('tiny-sam2-bad-');
      const path = writeTinySam2(dir);
      const m = JSON.parse(readFileSync(path, 'utf8'));
      edit(m);
      writeFileSync(path, JSON.stringify(m));
      return path;
    };

    it('names a missing file', async () => {
      const path = variant((m) => (m.modules.memoryEncoder.file = 'nope.onnx'));
      await expect(Sam2OnnxTracker.load(path)).rejects.toThrow(/sam2\.json: modules\.memoryEncoder\.file: .*nope\.onnx does not exist/);
    });

    it('lists expected against found for a wrong tensor name', async () => {
      const path = variant((m) => (m.modules.imageDecoder.outputs.predMask.name = 'masks'));
      await expect(Sam2OnnxTracker.load(path)).rejects.toThrow(/image_decoder\.onnx: output "masks" missing \(found pred_mask, mask_for_mem, obj_ptr\)/);
    });

    it('lists expected against found for a wrong shape', async () => {
      const path = variant((m) => (m.modules.memoryEncoder.inputs.pixFeat.shape = [1, 8, 16, 16]));
      await expect(Sam2OnnxTracker.load(path)).rejects.toThrow(/memory_encoder\.onnx: input "pix_feat" has shape \[1, 8, 8, 8\], expected \[1, 8, 16, 16\]/);
    });

    it('refuses an image size or channel count that does not match the image encoder', async () => {
      const size = variant((m) => (m.imageSize = 64));
      await expect(Sam2OnnxTracker.load(size)).rejects.toThrow(/sam2\.json: modules\.imageEncoder\.inputs\.image: shape \[1, 3, 32, 32\], but imageSize 64 and RGB need \[1, 3, 64, 64\]$/);
      const channels = variant((m) => (m.modules.imageEncoder.inputs.image.shape = [1, 4, 32, 32]));
      await expect(Sam2OnnxTracker.load(channels)).rejects.toThrow(/sam2\.json: modules\.imageEncoder\.inputs\.image: shape \[1, 4, 32, 32\], but imageSize 32 and RGB need \[1, 3, 32, 32\]$/);
    });

    it('names a module file that is not an ONNX model', async () => {
      const path = variant(() => undefined);
      writeFileSync(join(dirname(path), 'memory_encoder.onnx'), 'not a model');
      await expect(Sam2OnnxTracker.load(path)).rejects.toThrow(/memory_encoder\.onnx: not a loadable ONNX model/);
    });

    it('rejects a misspelt role', async () => {
      const path = variant((m) => (m.modules.imageEncoder.outputs.pixFeats = m.modules.imageEncoder.outputs.pixFeat));
      await expect(Sam2OnnxTracker.load(path)).rejects.toThrow(/modules\.imageEncoder\.outputs\.pixFeats: unknown field \(did you mean "pixFeat"\?\)/);
    });
  });
});
