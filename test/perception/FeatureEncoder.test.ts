import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { conditionedFeatures, conditionedLength, FeatureEncoder, IdsDetector, maskTokenLength, objectGeometry, OracleTracker, oracleForeground, withBox } from '../../src/perception/index.js';
import { objectSegmentId } from '../../src/render/index.js';
import { Rng } from '../../src/core/index.js';
import { buildEncoder } from '../../scripts/buildEncoder.js';
import { ROOT, tempDir } from '../cli/helpers.js';

const MANIFEST = join(ROOT, 'assets', 'models', 'encoder.json');
const encoder = await FeatureEncoder.load(MANIFEST);
const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());

const digest = (v: Float32Array) => sha256Hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).slice(0, 16);

/** Golden hashes of the conditioned features of cubes/3-6/0/0 at t = 0. Update with the encoder, the scene or the conditioning, saying why (box: the region inside the drawn box became its object token). */
const GOLDEN = { none: '2127a6f3a93fb52a', box: 'b80779b4403316fb', tracker: 'bec44f49c3928fef' };

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
    const truth = () => env.trueFrames().scene;
    const box = new IdsDetector(env.task.spec.perception.detector, new Rng('golden')).detect(truth(), objectSegmentId(info.target))!;
    const tracker = new OracleTracker(new Rng('golden-tracker'), truth);
    const track = await tracker.init(frame, box);
    const fg = oracleForeground(frame, truth());
    const hashes = {
      none: digest(await conditionedFeatures('none', encoder, frame, null, fg, camera)),
      box: digest(await conditionedFeatures('box', encoder, frame, track, fg, camera)),
      tracker: digest(await conditionedFeatures('tracker', encoder, frame, track, fg, camera)),
    };
    expect(hashes).toEqual(GOLDEN);
    expect(digest(await conditionedFeatures('tracker', encoder, frame, track, fg, camera))).toBe(hashes.tracker);
  });

  it('has one length for every conditioning; the scene token is shared; the tracker and the drawn box fill the object token', async () => {
    const { observation, info } = env.reset({ task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 1 });
    const frame = observation.frames.scene;
    const camera = observation.cameras.scene;
    const trueFrame = () => env.trueFrames().scene;
    const track = await new OracleTracker(new Rng('t'), trueFrame).init(frame, new IdsDetector({ jitter: 0, scaleError: 0, missRate: 0 }, new Rng('d')).detect(trueFrame(), objectSegmentId(info.target))!);
    const fg = oracleForeground(frame, trueFrame());
    const n = conditionedLength(encoder);
    const token = maskTokenLength(encoder);
    expect(token).toBe(37 + 15 + 6);
    expect(n).toBe(2368 + 2 * token);
    const none = await conditionedFeatures('none', encoder, frame, track, fg, camera);
    const box = await conditionedFeatures('box', encoder, frame, track, fg, camera);
    const tracked = await conditionedFeatures('tracker', encoder, frame, track, fg, camera);
    for (const f of [none, box, tracked]) expect(f).toHaveLength(n);
    const geometry = (f: Float32Array, which: 0 | 1) => f.subarray(2368 + which * token + 37 + 15, 2368 + (which + 1) * token);
    // The tracked object's top: centred on the target within 8 mm (mask noise, neighbours), at the cube's height.
    const truth = env.privileged().objects[info.target].position;
    const [x, y, z] = geometry(tracked, 1);
    expect(Math.hypot(x - truth.x, y - truth.y)).toBeLessThan(0.008);
    expect(z).toBeGreaterThan(0.035);
    expect(z).toBeLessThan(0.045);
    // The scene token describes all three cubes together: the same in every mode, near their centroid.
    const objects = env.privileged().objects;
    const centroid = [0, 1].map((a) => objects.reduce((s, o) => s + (a ? o.position.y : o.position.x), 0) / objects.length);
    for (const f of [box, tracked]) expect(geometry(f, 0)).toEqual(geometry(none, 0));
    expect(Math.hypot(geometry(none, 0)[0] - centroid[0], geometry(none, 0)[1] - centroid[1])).toBeLessThan(0.02);
    expect(none.subarray(2368 + token).every((v) => v === 0)).toBe(true);
    expect(tracked.subarray(2368 + token).some((v) => v !== 0)).toBe(true);
    // The region inside the drawn box: its top is the target's (the tallest thing in the box), less sharply than the mask's.
    const [bx, by] = geometry(box, 1);
    expect(Math.hypot(bx - truth.x, by - truth.y)).toBeLessThan(0.015);
    // Black out the frame and the drawn box is gone with it: no object token, unlike the tracker's memory.
    const black = { ...frame, rgb: new Uint8Array(frame.rgb.length), depth: new Float32Array(frame.depth.length) };
    expect((await conditionedFeatures('box', encoder, black, track, new Uint8Array(fg.length), camera)).subarray(2368 + token).every((v) => v === 0)).toBe(true);
    expect(box.subarray(0, 2368)).not.toEqual(none.subarray(0, 2368)); // the drawn box shows in the features
    const drawn = withBox(frame, track.box!);
    expect(drawn.rgb.filter((v, i) => i % 3 === 1 && v === 255).length).toBeGreaterThan(20);
  });

  it('locates a lone cube and its turn from the depth image alone: the scene token knows what the tracker knows', async () => {
    const { observation } = env.reset({ task: 'cubes', objects: { min: 1, max: 1 }, occlusion: 0, index: 2 });
    const frame = observation.frames.scene;
    const geometry = objectGeometry(frame, Uint8Array.from(env.trueFrames().scene.ids, (id) => (id >= 16 ? 1 : 0)), observation.cameras.scene)!;
    const cube = env.privileged().objects[0];
    expect(Math.hypot(geometry[0] - cube.position.x, geometry[1] - cube.position.y)).toBeLessThan(0.004);
    expect(geometry[5]).toBeGreaterThan(0.035);
    expect(geometry[5]).toBeLessThan(0.046);
    // cos 4φ, sin 4φ: the cube's yaw modulo a quarter turn, to the 5-degree steps of the search.
    const yaw = 2 * Math.atan2(cube.rotation.z, cube.rotation.w);
    const turn = Math.atan2(geometry[4], geometry[3]) - 4 * yaw;
    expect(Math.abs(Math.atan2(Math.sin(turn), Math.cos(turn)))).toBeLessThan(4 * (5 * Math.PI) / 180);
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
