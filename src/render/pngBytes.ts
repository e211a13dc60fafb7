import { PNG, type PackerOptions } from 'pngjs';

/**
 * Images as PNG file bytes (pngjs), lossless, for datasets that keep images inside other files.
 * Deterministic: the same pixels give the same bytes.
 */

function encode(width: number, height: number, data: Buffer, options: PackerOptions): Buffer {
  const png = new PNG({ width, height, ...options });
  png.data = data;
  return PNG.sync.write(png, options);
}

/** An 8-bit RGB image (H x W x 3, row-major from the top left) as a PNG of colour type 2. */
export function rgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`rgbPng: ${rgb.length} bytes for ${width} x ${height} x 3`);
  return encode(width, height, Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
}

/** An 8-bit grayscale image (H x W) as a PNG of colour type 0. */
export function gray8Png(width: number, height: number, gray: Uint8Array): Buffer {
  if (gray.length !== width * height) throw new Error(`gray8Png: ${gray.length} bytes for ${width} x ${height}`);
  return encode(width, height, Buffer.from(gray.buffer, gray.byteOffset, gray.byteLength), { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

/** A 16-bit grayscale image (H x W) as a PNG of colour type 0, bit depth 16 (big-endian samples, as PNG stores them). */
export function gray16Png(width: number, height: number, gray: Uint16Array): Buffer {
  if (gray.length !== width * height) throw new Error(`gray16Png: ${gray.length} values for ${width} x ${height}`);
  // pngjs reads 16-bit input through a Uint16Array over the whole underlying buffer: give it one of its own.
  const own = Uint16Array.from(gray);
  return encode(width, height, Buffer.from(own.buffer), { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 16 });
}
