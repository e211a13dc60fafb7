import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, runEpisode } from '../../src/bench/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { loadOnnxPolicy } from '../../src/policy/index.js';
import { ROOT, sam2grasp, tempDir } from '../cli/helpers.js';
import { HOVER_HEIGHT, writePixelPolicy } from './pixelPolicy.js';

const task = loadTask('cubes');
const { width, height } = task.spec.cameras.scene;
const manifest = writePixelPolicy(tempDir('pixels-'), width, height);
const env = await GraspEnv.create(task);
afterAll(() => env.close());

describe('a pixels-in ONNX policy, built as a graph', () => {
  it('finds the cube from the scene image, depth and camera model alone, and hovers above it', async () => {
    const modelsDir = join(ROOT, 'assets', 'models');
    const policy = await loadOnnxPolicy(manifest, { modelsDir, spec: task.spec, perception: () => Promise.reject(new Error('it reads no perception of ours')) });
    expect(policy.perception).toBeUndefined();
    const result = await runEpisode(env, policy, { task: 'cubes', objects: { min: 1, max: 1 }, occlusion: 0, index: 4 });
    expect(result.outcome.failureReason).toBe('timeout');
    const cube = env.privileged().objects[0].position;
    const palm = env.world.gripper.palmPose();
    expect(Math.hypot(palm.x - cube.x, palm.y - cube.y)).toBeLessThan(0.01);
    expect(palm.z).toBeCloseTo(HOVER_HEIGHT, 2);
  });

  it('runs end to end through sam2grasp eval', async () => {
    const out = join(tempDir('pixels-eval-'), 'run');
    const result = sam2grasp(['eval', '--task', 'cubes', '--objects', '1', '--episodes', '2', '--policy', `onnx:${manifest}`, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const { records: rows } = await readCsv(join(out, 'episodes.csv'));
    expect(rows.map((r) => [r.policy, r.perception, r.failure_reason])).toEqual([
      ['pixels', '', 'timeout'],
      ['pixels', '', 'timeout'],
    ]);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).spec.policies).toEqual(['pixels']);
  });
});
