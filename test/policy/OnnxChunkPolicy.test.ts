import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { policyFor, runEpisode } from '../../src/bench/index.js';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { ROOT, sam2grasp, tempDir } from '../cli/helpers.js';
import { K, writeHead } from './hoverHead.js';

const env = await GraspEnv.create(loadTask('cubes'));
afterAll(() => env.close());

describe('the ONNX policy contract', () => {
  it('evaluates any ONNX that follows it: the hand goes where the head says', async () => {
    const policy = await policyFor(`onnx:${writeHead(tempDir('head-'))}`, env.task);
    const result = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 0 });
    expect(result.outcome.failureReason).toBe('timeout');
    const palm = env.world.gripper.palmPose();
    expect(palm).toMatchObject({ x: expect.closeTo(0.05, 3), y: expect.closeTo(-0.02, 3), z: expect.closeTo(0.22, 3), yaw: expect.closeTo(0.3, 3) });
  });

  it('ends an episode with a NaN action as invalid_action, and the run goes on', async () => {
    const policy = await policyFor(`onnx:${writeHead(tempDir('nan-'), { bias: new Array(K * 5).fill(NaN) })}`, env.task);
    const first = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 1 });
    expect(first.outcome.failureReason).toBe('invalid_action');
    const second = await runEpisode(env, policy, { task: 'cubes', objects: { min: 3, max: 3 }, occlusion: 0, index: 2 });
    expect(second.outcome.failureReason).toBe('invalid_action');
  });

  it.each([
    ['a missing input', (m: any) => (m.inputs.proprio.name = 'state'), /head\.onnx: input "state" missing \(found features, proprio\)/],
    ['a wrong output shape', (m: any) => (m.output.shape = [1, K, 4]), /head\.json: output: shape must be \[1, chunkSize = 4, 5\]/],
    ['features the encoder cannot give', (m: any) => (m.inputs.features.shape = [1, 100]), /head\.json: inputs\.observation\.features: shape \[1, 100\], expected \[1, 2484\] \(the encoder .*encoder\.json with none conditioning\)/],
    ['a role the task\'s cameras cannot give', (m: any) => (m.inputs['observation.images.scene'] = { name: 'image', shape: [1, 3, 64, 64] }), /head\.json: inputs\.observation\.images\.scene: shape \[1, 3, 64, 64\], expected \[1, 3, 128, 128\] \(the task's scene camera is 128 x 128\)/],
    ['an unknown role', (m: any) => (m.inputs['observation.image.scene'] = { name: 'x', shape: [1, 3, 128, 128] }), /head\.json: inputs\.observation\.image\.scene: unknown field \(did you mean "observation\.images\.scene"\?\)/],
    ['a prompt role without "prompted"', (m: any) => (m.inputs['observation.prompt.box'] = { name: 'box', shape: [1, 4] }), /head\.json: inputs\.observation\.prompt\.box: a prompt role needs "prompted": true/],
    ['a dtype other than float32', (m: any) => (m.inputs.proprio.dtype = 'float64'), /head\.json: inputs\.observation\.state: dtype float64, the contract is float32/],
    ['a tensor fed by two roles', (m: any) => (m.inputs['observation.prompt.box'] = { name: 'proprio', shape: [1, 4] }, (m.prompted = true)), /head\.json: inputs\.observation\.state: tensor "proprio" is fed by another role too/],
    ['a model input no role feeds', (m: any) => delete m.inputs.proprio, /head\.onnx: input "proprio" is fed by no role of .*head\.json's inputs \(roles: observation\.features\)/],
    ['a role given under both its names', (m: any) => (m.inputs['observation.state'] = m.inputs.proprio), /head\.json: inputs\.observation\.state: given twice \(also as "proprio"\)/],
    ['another control rate', (m: any) => (m.controlHz = 20), /head\.json: controlHz: trained at 20 Hz, the task runs at 10 Hz/],
  ])('fails at load, in one line, on %s', async (_, edit, message) => {
    await expect(policyFor(`onnx:${writeHead(tempDir('bad-'), { edit })}`, env.task)).rejects.toThrow(message);
  });

  it('fails at load on a tensor of the wrong dtype', async () => {
    await expect(policyFor(`onnx:${writeHead(tempDir('dtype-'), { proprioType: 'double' })}`, env.task)).rejects.toThrow(/head\.onnx: tensor "proprio" is float64, the contract is float32/);
  });

  it('fails at load on a file that is not an ONNX model, naming it', async () => {
    const path = writeHead(tempDir('corrupt-'));
    writeFileSync(join(path, '..', 'head.onnx'), 'not a model');
    await expect(policyFor(`onnx:${path}`, env.task)).rejects.toThrow(/head\.onnx: not a loadable ONNX model \(/);
  });

  it.each([
    ['a broken contract', (path: string) => writeHead(path, { edit: (m) => (m.inputs.proprio.name = 'state') }), /head\.onnx: input "state" missing/],
    ['a corrupt ONNX file', (path: string) => (writeHead(path), writeFileSync(join(path, 'head.onnx'), 'not a model'), join(path, 'head.json')), /head\.onnx: not a loadable ONNX model/],
  ])('is reported by the CLI as one line, exit code 2, no output: %s', (_, write, message) => {
    const path = write(tempDir('cli-'));
    const out = join(tempDir('out-'), 'x');
    const result = sam2grasp(['eval', '--task', 'cubes', '--episodes', '1', '--policy', `onnx:${path}`, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
