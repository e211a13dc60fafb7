import { Vector3 } from 'three';
import type { TaskSpec } from '../config/index.js';
import { InputError } from '../core/index.js';
import { makeSceneCamera } from './SceneMirror.js';

/**
 * Rejects a scene camera that cannot see the bin: its position on its look-at point, or the bin's
 * floor centre behind it or outside its image. (The wrist camera rides on the palm, so only its
 * field of view and size can be wrong, and the schema checks those.)
 */
export function checkCameras(spec: TaskSpec, source: string): void {
  const { position, lookAt } = spec.cameras.scene;
  if (Math.hypot(position[0] - lookAt[0], position[1] - lookAt[1], position[2] - lookAt[2]) < 1e-6) {
    throw new InputError(source, 'cameras.scene: position and lookAt are the same point');
  }
  const camera = makeSceneCamera(spec.cameras.scene);
  const centre = new Vector3(0, 0, 0).applyMatrix4(camera.matrixWorldInverse);
  const inFront = centre.z < -camera.near;
  const ndc = new Vector3(0, 0, 0).project(camera);
  if (!inFront || Math.abs(ndc.x) > 1 || Math.abs(ndc.y) > 1) {
    throw new InputError(source, `cameras.scene: looks at nothing: the bin's centre is ${inFront ? 'outside its image' : 'behind it'} (position ${JSON.stringify(position)}, lookAt ${JSON.stringify(lookAt)})`);
  }
}
