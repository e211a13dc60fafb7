import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTask } from '../../src/bench/index.js';
import { sha256Hex } from '../../src/core/index.js';
import { GraspEnv } from '../../src/env/index.js';
import { conditionedFeatures, conditionedLength, FeatureEncoder, IdsDetector, SimulatedSam2, withBox } from '../../src/perception/index.js';
import { objectSegmentId } from '../../src/render/index.js';
import { Rng } from '../../src/core/index.js';
import { buildEncoder } from '../../scripts/buildEncoder.js';
import { ROOT, tempDir } from '../cli/helpers.js';

const MANIFEST = join(ROOT, 'assets', 'models', 'encoder.json');
const encoder = await FeatureEncoder.load(MANIFEST);
const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());

const digest = (v: Float32Array) => sha256Hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).slice(0, 16);

/** Golden hashes of the conditioned features of cubes/3-6/0/0 at t = 0. Update with the encoder or the scene, saying why. */
const GOLDEN = { none: '1a829975737e732e', box: '209fd3d72b63f249', tracker: '3eeb6d39a8b9097d' };

describe('FeatureEncoder', () => {
  it('is the asset the build script writes, byte for byte', () => {
    const { onnx } = buildEncoder();
    expect(Buffer.from(onnx).equals(readFileSync(join(ROOT, 'assets', 'models', 'encoder.onnx')))).toBe(true);
  });

  it('gives bit-identical features for a fixed episode (golden hashes), per conditioning', async () => {
    const key = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0, index: 0 };
    const { observation, info } = env.reset(key);
    const frame = observation.frames.scene;
    const camera = observation.cameras.scene;
    const box = new IdsDetector(env.task.spec.perception.detector, new Rng('golden')).detect(frame, objectSegmentId(info.target))!;
    const tracker = new SimulatedSam2(new Rng('golden-tracker'));
    const track = await tracker.init(frame, box);
    const hashes = {
      none: digest(await conditionedFeatures('none', encoder, frame, null, camera)),
      box: digest(await conditionedFeatures('box', encoder, frame, track, camera)),
      tracker: digest(await conditionedFeatures('tracker', encoder, frame, track, camera)),
    };
    expect(hashes).toEqual(GOLDEN);
    expect(digest(await conditionedFeatures('tracker', encoder, frame, track, camera))).toBe(hashes.tracker);
  });

  it('has one length for every conditioning; only the tracker fills the object token', async () => {
    const { observation, info } = env.reset({ task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 1 });
    const frame = observation.frames.scene;
    const track = await new SimulatedSam2(new Rng('t')).init(frame, new IdsDetector({ jitter: 0, scaleError: 0, missRate: 0 }, new Rng('d')).detect(frame, objectSegmentId(info.target))!);
    const n = conditionedLength(encoder);
    expect(n).toBe(2368 + 37 + 15 + 3);
    const none = await conditionedFeatures('none', encoder, frame, track);
    const box = await conditionedFeatures('box', encoder, frame, track);
    const tracked = await conditionedFeatures('tracker', encoder, frame, track, observation.cameras.scene);
    // The object's world centroid lies within a few centimetres of the target's true position.
    const truth = env.privileged().objects[info.target].position;
    const world = tracked.subarray(n - 3);
    expect(Math.hypot(world[0] - truth.x, world[1] - truth.y)).toBeLessThan(0.03);
    for (const f of [none, box, tracked]) expect(f).toHaveLength(n);
    expect(none.subarray(2368).every((v) => v === 0)).toBe(true);
    expect(box.subarray(2368).every((v) => v === 0)).toBe(true);
    expect(tracked.subarray(2368).some((v) => v !== 0)).toBe(true);
    expect(box.subarray(0, 2368)).not.toEqual(none.subarray(0, 2368)); // the drawn box shows in the features
    const drawn = withBox(frame, track.box!);
    expect(drawn.rgb.filter((v, i) => i % 3 === 1 && v === 255).length).toBeGreaterThan(20);
  });

  it('fails with one line when a policy expects another feature length', () => {
    expect(() => encoder.expectLength(1024, 'assets/models/act.json')).toThrow(/^assets\/models\/act\.json: expects 1024 encoder features, but the encoder \(encoder\.onnx\) gives 2368$/);
  });

  it('refuses a manifest whose output shape differs from the model', async () => {
    const dir = tempDir('encoder-');
    copyFileSync(join(ROOT, 'assets', 'models', 'encoder.onnx'), join(dir, 'encoder.onnx'));
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    manifest.output.shape = [1, 1024];
    writeFileSync(join(dir, 'encoder.json'), JSON.stringify(manifest));
    await expect(FeatureEncoder.load(join(dir, 'encoder.json'))).rejects.toThrow(/encoder\.onnx: output "features" has shape \[1, 2368\], expected \[1, 1024\]/);
  });
});
