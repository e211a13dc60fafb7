import { Matrix4, Mesh, PerspectiveCamera, SRGBColorSpace, Vector3, type Camera, type Object3D, type RGB, type Scene } from 'three';
import { createFrame, type Frame, type Intrinsics } from './Frame.js';
import type { FrameRenderer, RenderInfo } from './FrameRenderer.js';

/** Fixed lighting: a directional light (the direction it travels, world frame) and ambient. */
export interface Lighting {
  direction: readonly [number, number, number];
  ambient: number;
  diffuse: number;
  /** sRGB bytes where nothing is hit. */
  background: readonly [number, number, number];
}

export const DEFAULT_LIGHTING: Lighting = {
  direction: [0.35, 0.5, -1],
  ambient: 0.4,
  diffuse: 0.6,
  background: [24, 26, 32],
};

// Scratch objects: the hot path allocates nothing.
const _modelView = new Matrix4();
const _light = new Vector3();
const _rgb: RGB = { r: 0, g: 0, b: 0 };

/** A mesh's `userData.segmentId` is what its pixels carry in the ids image (0 if unset). */
export function segmentIdOf(object: Object3D): number {
  const id = object.userData.segmentId;
  return typeof id === 'number' ? id : 0;
}

/** Pinhole intrinsics of a three.js PerspectiveCamera rendered at width x height (square pixels). */
export function intrinsicsOf(camera: PerspectiveCamera, width: number, height: number): Intrinsics {
  const fy = height / 2 / Math.tan((camera.fov * Math.PI) / 360);
  return { width, height, fx: fy, fy, cx: width / 2, cy: height / 2, near: camera.near };
}

/**
 * A z-buffer rasterizer in plain TypeScript: renders a three.js Scene through a PerspectiveCamera
 * into RGB, metric depth and segment ids in one pass. Flat Lambert shading with one directional
 * and an ambient light, back-face culling, near-plane clipping. Float64 arithmetic throughout and
 * no dependence on drivers, SIMD or threads: the same scene gives the same bytes on every machine.
 *
 * Reads each visible Mesh's BufferGeometry (indexed or not), `matrixWorld`, `material.color`
 * (as sRGB) and `userData.segmentId`.
 */
export class SoftwareRenderer implements FrameRenderer {
  readonly info: RenderInfo = { frames: 0, triangles: 0 };
  private frame: Frame;
  private readonly meshes: Mesh[] = [];
  private camX = new Float64Array(0);
  private camY = new Float64Array(0);
  private camZ = new Float64Array(0);
  // Per-frame projection and the current triangle's shade, set before rasterising.
  private fx = 0;
  private fy = 0;
  private cx = 0;
  private cy = 0;
  private near = 0;
  private r = 0;
  private g = 0;
  private b = 0;
  private id = 0;
  // The triangle in hand (camera space), and the near-clipped polygon (at most 4 vertices).
  // Vertices travel through these arrays, not arguments: V8 boxes every double passed to a call
  // it does not inline, which was an allocation per triangle.
  private readonly triX = new Float64Array(3);
  private readonly triY = new Float64Array(3);
  private readonly triZ = new Float64Array(3);
  private readonly clipX = new Float64Array(4);
  private readonly clipY = new Float64Array(4);
  private readonly clipZ = new Float64Array(4);

  constructor(
    width: number,
    height: number,
    private readonly lighting: Lighting = DEFAULT_LIGHTING,
  ) {
    this.frame = createFrame(width, height);
  }

  setSize(width: number, height: number): void {
    if (width !== this.frame.width || height !== this.frame.height) this.frame = createFrame(width, height);
  }

  private readonly collect = (object: Object3D): void => {
    if (object instanceof Mesh) this.meshes.push(object);
  };

  render(scene: Scene, camera: Camera): Frame {
    if (!(camera instanceof PerspectiveCamera)) throw new Error('SoftwareRenderer renders through a PerspectiveCamera');
    if (scene.matrixWorldAutoUpdate) scene.updateMatrixWorld();
    if (camera.parent === null && camera.matrixWorldAutoUpdate) camera.updateMatrixWorld();
    const { width, height } = this.frame;
    // As intrinsicsOf(), without making an object per frame.
    this.fy = height / 2 / Math.tan((camera.fov * Math.PI) / 360);
    this.fx = this.fy;
    this.cx = width / 2;
    this.cy = height / 2;
    this.near = camera.near;
    this.clear();
    // The light's direction in camera space, negated: the direction towards the light.
    const [lx, ly, lz] = this.lighting.direction;
    _light.set(-lx, -ly, -lz).transformDirection(camera.matrixWorldInverse);

    this.meshes.length = 0;
    scene.traverseVisible(this.collect);
    this.info.triangles = 0;
    for (const mesh of this.meshes) this.drawMesh(mesh, camera.matrixWorldInverse);
    this.info.frames++;
    return this.frame;
  }

  private clear(): void {
    const { rgb, depth, ids } = this.frame;
    const [br, bg, bb] = this.lighting.background;
    for (let i = 0, j = 0; i < depth.length; i++, j += 3) {
      rgb[j] = br;
      rgb[j + 1] = bg;
      rgb[j + 2] = bb;
    }
    depth.fill(Infinity);
    ids.fill(0);
  }

  private drawMesh(mesh: Mesh, view: Matrix4): void {
    const position = mesh.geometry.getAttribute('position');
    if (!position) return;
    const count = position.count;
    this.ensureCapacity(count);
    const e = _modelView.multiplyMatrices(view, mesh.matrixWorld).elements;
    const src = position.array;
    const stride = 'data' in position ? (position as unknown as { data: { stride: number } }).data.stride : position.itemSize;
    const offset = 'offset' in position ? (position as unknown as { offset: number }).offset : 0;
    const { camX, camY, camZ } = this;
    for (let i = 0; i < count; i++) {
      const o = i * stride + offset;
      const x = src[o];
      const y = src[o + 1];
      const z = src[o + 2];
      camX[i] = e[0] * x + e[4] * y + e[8] * z + e[12];
      camY[i] = e[1] * x + e[5] * y + e[9] * z + e[13];
      camZ[i] = e[2] * x + e[6] * y + e[10] * z + e[14];
    }
    const material = Array.isArray(mesh.material) ? mesh.material[0] : mesh.material;
    const colour = (material as { color?: { getRGB(target: RGB, colorSpace: string): RGB } }).color;
    if (colour) colour.getRGB(_rgb, SRGBColorSpace);
    else _rgb.r = _rgb.g = _rgb.b = 1;
    this.id = segmentIdOf(mesh);

    const index = mesh.geometry.index?.array;
    const triangles = (index ? index.length : count) / 3;
    for (let t = 0; t < triangles; t++) {
      const a = index ? index[3 * t] : 3 * t;
      const b = index ? index[3 * t + 1] : 3 * t + 1;
      const c = index ? index[3 * t + 2] : 3 * t + 2;
      this.drawTriangle(a, b, c);
    }
  }

  private ensureCapacity(count: number): void {
    if (this.camX.length >= count) return;
    // Grows to the largest mesh seen, then never again.
    this.camX = new Float64Array(count);
    this.camY = new Float64Array(count);
    this.camZ = new Float64Array(count);
  }

  private drawTriangle(a: number, b: number, c: number): void {
    const { camX, camY, camZ } = this;
    const x0 = camX[a], y0 = camY[a], z0 = camZ[a];
    const x1 = camX[b], y1 = camY[b], z1 = camZ[b];
    const x2 = camX[c], y2 = camY[c], z2 = camZ[c];
    // Face normal in camera space; the camera sits at the origin.
    const ux = x1 - x0, uy = y1 - y0, uz = z1 - z0;
    const vx = x2 - x0, vy = y2 - y0, vz = z2 - z0;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    if (nx * x0 + ny * y0 + nz * z0 >= 0) return; // back face (or edge-on)
    this.info.triangles++;

    const length = Math.sqrt(nx * nx + ny * ny + nz * nz); // Math.hypot is a call that boxes its doubles
    const lambert = Math.max(0, (nx * _light.x + ny * _light.y + nz * _light.z) / length);
    const shade = this.lighting.ambient + this.lighting.diffuse * lambert;
    this.r = Math.min(255, Math.round(_rgb.r * shade * 255));
    this.g = Math.min(255, Math.round(_rgb.g * shade * 255));
    this.b = Math.min(255, Math.round(_rgb.b * shade * 255));

    const zNear = -this.near;
    const { triX: X, triY: Y, triZ: Z } = this;
    const in0 = z0 <= zNear, in1 = z1 <= zNear, in2 = z2 <= zNear;
    if (!in0 && !in1 && !in2) return;
    X[0] = x0; X[1] = x1; X[2] = x2;
    Y[0] = y0; Y[1] = y1; Y[2] = y2;
    Z[0] = z0; Z[1] = z1; Z[2] = z2;
    if (in0 && in1 && in2) {
      this.rasterize();
      return;
    }
    // Sutherland-Hodgman against the near plane: a triangle becomes a triangle or a quad.
    const { clipX: CX, clipY: CY, clipZ: CZ } = this;
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const j = (i + 1) % 3;
      const inI = Z[i] <= zNear;
      const inJ = Z[j] <= zNear;
      if (inI) {
        CX[n] = X[i];
        CY[n] = Y[i];
        CZ[n] = Z[i];
        n++;
      }
      if (inI !== inJ) {
        const s = (zNear - Z[i]) / (Z[j] - Z[i]);
        CX[n] = X[i] + s * (X[j] - X[i]);
        CY[n] = Y[i] + s * (Y[j] - Y[i]);
        CZ[n] = zNear;
        n++;
      }
    }
    // Fan out from the first vertex; each piece goes through the triangle arrays.
    for (let i = 1; i + 1 < n; i++) {
      X[0] = CX[0]; Y[0] = CY[0]; Z[0] = CZ[0];
      X[1] = CX[i]; Y[1] = CY[i]; Z[1] = CZ[i];
      X[2] = CX[i + 1]; Y[2] = CY[i + 1]; Z[2] = CZ[i + 1];
      this.rasterize();
    }
  }

  /** Projects the triangle in `triX/Y/Z` (in front of the near plane) and fills its pixels. */
  private rasterize(): void {
    const { fx, fy, cx, cy, triX: X, triY: Y, triZ: Z } = this;
    const x0 = X[0], y0 = Y[0], z0 = Z[0];
    const x1 = X[1], y1 = Y[1], z1 = Z[1];
    const x2 = X[2], y2 = Y[2], z2 = Z[2];
    // Screen space: u right, v down; 1/depth interpolates linearly across the screen.
    const iz0 = -1 / z0, iz1 = -1 / z1, iz2 = -1 / z2;
    const u0 = cx + fx * x0 * iz0, v0 = cy - fy * y0 * iz0;
    let u1 = cx + fx * x1 * iz1, v1 = cy - fy * y1 * iz1;
    let u2 = cx + fx * x2 * iz2, v2 = cy - fy * y2 * iz2;
    let w1z = iz1, w2z = iz2;
    let area = (u1 - u0) * (v2 - v0) - (v1 - v0) * (u2 - u0);
    if (area === 0) return;
    if (area < 0) {
      // Make the winding positive, so that inside means all edge functions >= 0.
      let swap = u1; u1 = u2; u2 = swap;
      swap = v1; v1 = v2; v2 = swap;
      swap = w1z; w1z = w2z; w2z = swap;
      area = -area;
    }
    const { width, height, depth, ids, rgb } = this.frame;
    const minX = Math.max(0, Math.floor(Math.min(u0, u1, u2)));
    const maxX = Math.min(width - 1, Math.ceil(Math.max(u0, u1, u2)));
    const minY = Math.max(0, Math.floor(Math.min(v0, v1, v2)));
    const maxY = Math.min(height - 1, Math.ceil(Math.max(v0, v1, v2)));
    if (minX > maxX || minY > maxY) return;
    const inv = 1 / area;
    // Edge functions at the first pixel centre, and their steps per pixel.
    const px = minX + 0.5, py = minY + 0.5;
    let e0Row = (u2 - u1) * (py - v1) - (v2 - v1) * (px - u1); // opposite vertex 0
    let e1Row = (u0 - u2) * (py - v2) - (v0 - v2) * (px - u2); // opposite vertex 1
    let e2Row = (u1 - u0) * (py - v0) - (v1 - v0) * (px - u0); // opposite vertex 2
    const e0dx = -(v2 - v1), e0dy = u2 - u1;
    const e1dx = -(v0 - v2), e1dy = u0 - u2;
    const e2dx = -(v1 - v0), e2dy = u1 - u0;
    const { r, g, b, id } = this;
    for (let y = minY; y <= maxY; y++) {
      let e0 = e0Row, e1 = e1Row, e2 = e2Row;
      for (let x = minX; x <= maxX; x++) {
        if (e0 >= 0 && e1 >= 0 && e2 >= 0) {
          const d = 1 / ((e0 * iz0 + e1 * w1z + e2 * w2z) * inv);
          const p = y * width + x;
          if (d < depth[p]) {
            depth[p] = d;
            ids[p] = id;
            const q = 3 * p;
            rgb[q] = r;
            rgb[q + 1] = g;
            rgb[q + 2] = b;
          }
        }
        e0 += e0dx;
        e1 += e1dx;
        e2 += e2dx;
      }
      e0Row += e0dy;
      e1Row += e1dy;
      e2Row += e2dy;
    }
  }
}
