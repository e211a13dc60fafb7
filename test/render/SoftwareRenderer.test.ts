import { BoxGeometry, BufferGeometry, Float32BufferAttribute, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene } from 'three';
import { describe, expect, it } from 'vitest';
import { cameraModelOf, pixelToWorld, SoftwareRenderer, type Frame } from '../../src/render/index.js';

const SIZE = 128;
const TABLE = 1;
const CUBE = 16;

function box(size: [number, number, number], centre: [number, number, number], id: number, colour = '#e6194b'): Mesh {
  const mesh = new Mesh(new BoxGeometry(...size), new MeshLambertMaterial({ color: colour }));
  mesh.position.set(...centre);
  mesh.userData.segmentId = id;
  return mesh;
}

/** A camera 1 m above the origin looking straight down, image up = world +y. */
function topCamera(fov = 30): PerspectiveCamera {
  const camera = new PerspectiveCamera(fov, 1, 0.05, 5);
  camera.position.set(0, 0, 1);
  camera.up.set(0, 1, 0);
  camera.lookAt(0, 0, 0);
  camera.updateMatrixWorld();
  return camera;
}

function tableScene(...meshes: Mesh[]): Scene {
  const scene = new Scene();
  scene.add(box([2, 2, 0.02], [0, 0, -0.01], TABLE, '#b9a88c'), ...meshes);
  return scene;
}

/** Bounding box [minU, maxU, minV, maxV] of the pixels carrying `id`. */
function pixelBox(frame: Frame, id: number): [number, number, number, number] {
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (let v = 0; v < frame.height; v++) {
    for (let u = 0; u < frame.width; u++) {
      if (frame.ids[v * frame.width + u] !== id) continue;
      minU = Math.min(minU, u); maxU = Math.max(maxU, u);
      minV = Math.min(minV, v); maxV = Math.max(maxV, v);
    }
  }
  return [minU, maxU, minV, maxV];
}

const at = (frame: Frame, u: number, v: number) => v * frame.width + u;

describe('SoftwareRenderer', () => {
  it('puts a cube at a known pose on the expected pixels, at the expected depth, with its id', () => {
    const camera = topCamera();
    const frame = new SoftwareRenderer(SIZE, SIZE).render(tableScene(box([0.04, 0.04, 0.04], [0.05, 0, 0.02], CUBE)), camera);
    const f = SIZE / 2 / Math.tan((15 * Math.PI) / 180);
    const c = SIZE / 2;
    // Top face at 0.96 m; the -x side face (facing the camera) reaches down to the table at 1 m.
    const uLo = c + (f * 0.03) / 1.0;
    const uHi = c + (f * 0.07) / 0.96;
    const vLo = c - (f * 0.02) / 0.96;
    const vHi = c + (f * 0.02) / 0.96;
    // Pixel u is covered when its centre u + 0.5 lies inside [lo, hi].
    const expected = [Math.ceil(uLo - 0.5), Math.floor(uHi - 0.5), Math.ceil(vLo - 0.5), Math.floor(vHi - 0.5)];
    const found = pixelBox(frame, CUBE);
    for (let i = 0; i < 4; i++) expect(Math.abs(found[i] - expected[i]), `edge ${i}: ${found} vs ${expected}`).toBeLessThanOrEqual(1);

    const centre = at(frame, Math.round(c + (f * 0.05) / 0.96), Math.round(c));
    expect(frame.ids[centre]).toBe(CUBE);
    expect(Math.abs(frame.depth[centre] - 0.96)).toBeLessThan(0.001);
    expect(frame.ids[at(frame, 5, 5)]).toBe(TABLE);
    expect(Math.abs(frame.depth[at(frame, 64, 5)] - 1)).toBeLessThan(0.001); // along the optical axis, not the ray
    expect(frame.rgb[3 * centre]).toBeGreaterThan(frame.rgb[3 * centre + 1]); // red cube
  });

  it('turns a depth pixel back into the world point it shows', () => {
    const camera = topCamera();
    const frame = new SoftwareRenderer(SIZE, SIZE).render(tableScene(box([0.04, 0.04, 0.04], [0.05, 0, 0.02], CUBE)), camera);
    const [u, v] = [78, 64];
    expect(frame.ids[at(frame, u, v)]).toBe(CUBE);
    const [x, y, z] = pixelToWorld(cameraModelOf(camera, SIZE, SIZE), u, v, frame.depth[at(frame, u, v)]);
    expect(z).toBeCloseTo(0.04, 3);
    expect(x).toBeGreaterThan(0.03);
    expect(x).toBeLessThan(0.07);
    expect(Math.abs(y)).toBeLessThan(0.02);
  });

  it('lets the nearer of two overlapping objects win, whatever the drawing order', () => {
    const low = () => box([0.06, 0.06, 0.04], [0, 0, 0.02], CUBE);
    const high = () => box([0.03, 0.03, 0.03], [0, 0, 0.2], CUBE + 1, '#4363d8');
    const renderer = new SoftwareRenderer(SIZE, SIZE);
    const a = renderer.render(tableScene(low(), high()), topCamera());
    const ids = a.ids.slice();
    const depth = a.depth.slice();
    expect(a.ids[at(a, 64, 64)]).toBe(CUBE + 1);
    expect(a.depth[at(a, 64, 64)]).toBeCloseTo(0.785, 3);
    expect(a.ids[at(a, 64, 64 + 6)]).toBe(CUBE); // beside the small cube (4.6 px), within the large one (7.5 px)
    const b = renderer.render(tableScene(high(), low()), topCamera());
    expect(b.ids).toEqual(ids);
    expect(b.depth).toEqual(depth);
  });

  it('culls back faces: a triangle seen from behind draws nothing', () => {
    const triangle = (order: number[]) => {
      const corners = [[-0.1, -0.1, 0], [0.1, -0.1, 0], [0, 0.1, 0]];
      const geometry = new BufferGeometry().setAttribute('position', new Float32BufferAttribute(order.flatMap((i) => corners[i]), 3));
      const mesh = new Mesh(geometry, new MeshLambertMaterial());
      mesh.userData.segmentId = CUBE;
      const scene = new Scene();
      scene.add(mesh);
      return new SoftwareRenderer(SIZE, SIZE).render(scene, topCamera()).ids[at({ width: SIZE } as Frame, 64, 64)];
    };
    expect(triangle([0, 1, 2])).toBe(CUBE); // counter-clockwise seen from above: faces the camera
    expect(triangle([0, 2, 1])).toBe(0);
  });

  it('clips at the near plane: a floor running under and behind the camera fills the lower half', () => {
    const camera = new PerspectiveCamera(60, 1, 0.05, 50);
    camera.position.set(0, 0, 0.3);
    camera.up.set(0, 0, 1);
    camera.lookAt(0, 10, 0.3); // looking along the floor
    camera.updateMatrixWorld();
    const scene = new Scene();
    scene.add(box([40, 40, 0.02], [0, 0, -0.01], TABLE));
    const frame = new SoftwareRenderer(SIZE, SIZE).render(scene, camera);
    for (let u = 0; u < SIZE; u += 7) {
      expect(frame.ids[at(frame, u, SIZE - 1)]).toBe(TABLE);
      expect(frame.ids[at(frame, u, 0)]).toBe(0);
      expect(frame.depth[at(frame, u, 0)]).toBe(Infinity);
    }
    expect(Number.isFinite(frame.depth[at(frame, 64, SIZE - 1)])).toBe(true);
  });

  it('renders the same bytes twice and reuses its buffers', () => {
    const renderer = new SoftwareRenderer(SIZE, SIZE);
    const scene = tableScene(box([0.04, 0.04, 0.04], [0.05, 0, 0.02], CUBE));
    const first = renderer.render(scene, topCamera());
    const copy = first.rgb.slice();
    const second = renderer.render(scene, topCamera());
    expect(second).toBe(first);
    expect(second.rgb).toEqual(copy);
    expect(renderer.info.frames).toBe(2);
  });
});
