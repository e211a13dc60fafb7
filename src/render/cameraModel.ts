import type { PerspectiveCamera } from 'three';
import type { CameraModel } from './Frame.js';
import { intrinsicsOf } from './SoftwareRenderer.js';

/** Intrinsics and camera-to-world pose of a camera rendered at width x height. */
export function cameraModelOf(camera: PerspectiveCamera, width: number, height: number): CameraModel {
  return { intrinsics: intrinsicsOf(camera, width, height), cameraToWorld: Float64Array.from(camera.matrixWorld.elements) };
}
