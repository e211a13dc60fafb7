import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyManifest } from '../../src/config/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { ObservationEncoder } from '../../src/policy/onnx/ObservationEncoder.js';
import { objectSegmentId } from '../../src/render/index.js';
import { tempDir } from '../cli/helpers.js';

const task = loadTask('cubes');
const env = await GraspEnv.create(task);
afterAll(() => env.close());
const { width: W, height: H } = task.spec.cameras.scene;

/** The tensors a pixels-in policy is fed, exactly as the harness makes them. */
async function sceneTensors() {
  const path = join(tempDir('conventions-'), 'policy.json');
  const tensor = (name: string, shape: number[]) => ({ name, shape });
  const inputs = {
    'observation.images.scene': tensor('image', [1, 3, H, W]),
    'observation.depth.scene': tensor('depth', [1, 1, H, W]),
    'observation.intrinsics.scene': tensor('k', [1, 4]),
    'observation.extrinsics.scene': tensor('pose', [1, 4, 4]),
  };
  const norm = (n: number) => ({ mean: new Array(n).fill(0), std: new Array(n).fill(1) });
  writeFileSync(path, JSON.stringify({ name: 'pixels', file: 'none.onnx', inputs, output: tensor('actions', [1, 1, 5]), proprioNorm: norm(7), actionNorm: norm(5), chunkSize: 1, controlHz: 10 }));
  const encoder = await ObservationEncoder.create(loadPolicyManifest(path), path, task.spec.cameras, () => Promise.reject(new Error('pixels need no perception')));
  const { observation } = env.reset({ task: 'cubes', objects: { min: 5, max: 5 }, occlusion: 0, index: 3 });
  const feeds = await encoder.encode(observation);
  return { image: feeds.image.data as Float32Array, depth: feeds.depth.data as Float32Array, k: feeds.k.data as Float32Array, pose: feeds.pose.data as Float32Array, rgb: observation.frames.scene.rgb };
}

describe('camera conventions of the contract', () => {
  it('a cube lands where the intrinsics and extrinsics say, in the image and depth tensors', async () => {
    const { image, depth, k, pose, rgb } = await sceneTensors();
    const [fx, fy, cx, cy] = k;
    const ids = env.trueFrames().scene.ids;
    let seen = 0;
    for (const object of env.privileged().objects) {
      // The centre of the cube's top face, in the camera frame (x right, y up, looking along -z).
      const p = [object.position.x, object.position.y, object.zMax];
      const d = [0, 1, 2].map((r) => p[r] - pose[r * 4 + 3]);
      const [xc, yc, zc] = [0, 1, 2].map((axis) => d[0] * pose[axis] + d[1] * pose[4 + axis] + d[2] * pose[8 + axis]);
      const u = Math.floor(cx + (fx * xc) / -zc);
      const v = Math.floor(cy - (fy * yc) / -zc);
      if (ids[v * W + u] !== objectSegmentId(object.index)) continue; // hidden behind another object
      seen++;
      const i = v * W + u;
      expect([image[i], image[W * H + i], image[2 * W * H + i]]).toEqual([rgb[3 * i] / 255, rgb[3 * i + 1] / 255, rgb[3 * i + 2] / 255].map(Math.fround));
      expect(depth[i]).toBeCloseTo(-zc, 2);
    }
    expect(seen).toBeGreaterThanOrEqual(4);
  });
});
