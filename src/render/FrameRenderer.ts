import type { Camera, Scene } from 'three';
import type { Frame } from './Frame.js';

/** Counters of the last render. */
export interface RenderInfo {
  frames: number;
  triangles: number;
}

/**
 * What the harness needs of a renderer, three.js-style: a size, and a render of a scene through a
 * camera into one Frame. A GPU-backed renderer can take the software one's place behind it.
 */
export interface FrameRenderer {
  setSize(width: number, height: number): void;
  render(scene: Scene, camera: Camera): Frame;
  readonly info: RenderInfo;
}
