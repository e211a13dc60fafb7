import { PerspectiveCamera, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { TaskLook } from '../src/bench/report/ReportData.js';
import type { ReplayScene } from './ReplayScene.js';

/**
 * A canvas that draws one ReplayScene with WebGL, from the task's scene camera (the view the
 * policy had) to start with; drag to orbit, scroll to zoom. Draws on demand, not in a loop.
 */
export class ReplayView {
  readonly canvas = document.createElement('canvas');
  private readonly renderer: WebGLRenderer;
  private readonly camera = new PerspectiveCamera(45, 1, 0.01, 10);
  private readonly controls: OrbitControls;
  private shown: { scene: ReplayScene; task: TaskLook } | null = null;

  constructor(parent: HTMLElement, width: number, height: number) {
    parent.append(this.canvas);
    // preserveDrawingBuffer: the canvas can be read back (screenshots, tests) after it is drawn.
    this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.setSize(width, height);
    this.camera.aspect = width / height;
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.addEventListener('change', () => this.render());
  }

  /** The scene drawn, if any. */
  get scene(): ReplayScene | null {
    return this.shown?.scene ?? null;
  }

  /** Shows a scene (null: nothing), the camera put back where the task's scene camera is. */
  show(scene: ReplayScene | null, task: TaskLook | null): void {
    this.shown = scene && task ? { scene, task } : null;
    this.canvas.hidden = !this.shown;
    if (!task) return;
    const { position, lookAt, fov } = task.camera;
    this.camera.fov = fov;
    this.camera.position.set(...position);
    this.controls.target.set(...lookAt);
    this.camera.lookAt(...lookAt);
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.render();
  }

  render(): void {
    if (this.shown) this.renderer.render(this.shown.scene.scene, this.camera);
  }

  /** The bin's bounding rectangle on the canvas (CSS pixels), from its floor and rim corners. */
  binRegion(): { x: number; y: number; width: number; height: number } | null {
    if (!this.shown) return null;
    const { inner, wallHeight } = this.shown.task.bin;
    const xs: number[] = [];
    const ys: number[] = [];
    for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const z of [0, wallHeight]) {
      const p = new Vector3((sx * inner[0]) / 2, (sy * inner[1]) / 2, z).project(this.camera);
      xs.push(((p.x + 1) / 2) * this.canvas.clientWidth);
      ys.push(((1 - p.y) / 2) * this.canvas.clientHeight);
    }
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  }

  dispose(): void {
    this.controls.dispose();
    this.renderer.dispose();
  }
}
