import { writeFileSync } from 'node:fs';
import gifenc from 'gifenc';
import { PNG } from 'pngjs';
import type { RgbImage } from './colourMaps.js';

function toRgba(image: RgbImage): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i];
    rgba[j + 1] = image.data[i + 1];
    rgba[j + 2] = image.data[i + 2];
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Writes an RGB image as a PNG file (pngjs). */
export function writePng(path: string, image: RgbImage): void {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(toRgba(image));
  writeFileSync(path, PNG.sync.write(png));
}

/** Writes frames of equal size as a looping animated GIF (gifenc), `delayMs` per frame. */
export function writeGif(path: string, frames: readonly RgbImage[], delayMs: number): void {
  const encoder = gifenc.GIFEncoder();
  for (const frame of frames) {
    const rgba = toRgba(frame);
    const palette = gifenc.quantize(rgba, 256);
    encoder.writeFrame(gifenc.applyPalette(rgba, palette), frame.width, frame.height, { palette, delay: delayMs });
  }
  encoder.finish();
  writeFileSync(path, encoder.bytes());
}
