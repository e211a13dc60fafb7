import type { CameraModel } from '../render/index.js';

/** A camera's `fx, fy, cx, cy`, pixels: the contract's and the dataset's intrinsics row. */
export function intrinsicsRow(camera: CameraModel): number[] {
  const { fx, fy, cx, cy } = camera.intrinsics;
  return [fx, fy, cx, cy];
}

/** Camera-to-world as 16 numbers in row-major order (the camera model keeps three.js's column-major order). */
export function cameraToWorldRows(camera: CameraModel): number[] {
  const m = camera.cameraToWorld;
  return Array.from({ length: 16 }, (_, i) => m[(i % 4) * 4 + Math.floor(i / 4)]);
}
