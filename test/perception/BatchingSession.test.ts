import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../src/bench/run/policyFor.js';
import { BatchingSession, DETERMINISTIC_SESSION } from '../../src/perception/index.js';
import { withBatchAxis } from '../../src/perception/BatchingSession.js';

const file = (name: string) => join(modelsDir(), `${name}.onnx`);
const open = async (name: string) => new BatchingSession(await ort.InferenceSession.create(file(name), DETERMINISTIC_SESSION), readFileSync(file(name)), DETERMINISTIC_SESSION);

/** Seeded inputs for one row of a model (its declared shapes, all led by 1). */
function row(session: BatchingSession, seed: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const meta of session.inputMetadata) {
    const shape = (meta.isTensor ? meta.shape : []) as number[];
    feeds[meta.name] = new ort.Tensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7919 + i * 0.37)), shape);
  }
  return feeds;
}

const bits = (t: ort.Tensor) => Buffer.from((t.data as Float32Array).slice().buffer);

describe('BatchingSession: model calls of episodes stepped together', () => {
  it.each(['tracker/image_encoder', 'tracker/mask_decoder', 'encoder', 'sam2grasp', 'dp'])('batches the calls of one turn of %s and gives each caller the bits of its row alone', async (name) => {
    const session = await open(name);
    const single = await ort.InferenceSession.create(file(name), DETERMINISTIC_SESSION);
    const feeds = [0, 1, 2, 3, 4, 5, 6].map((seed) => row(session, seed));
    const together = await Promise.all(feeds.map((f) => session.run(f)));
    expect(session.counts).toEqual({ calls: 3, rows: 7 }); // 4 + 2 + 1
    for (const [i, f] of feeds.entries()) {
      const alone = await single.run(f);
      for (const output of single.outputNames) {
        expect(together[i][output].dims).toEqual(alone[output].dims);
        expect(bits(together[i][output]).equals(bits(alone[output])), `${name} row ${i} ${output}`).toBe(true);
      }
    }
  });

  it('batches calls for some outputs apart from calls for all, and computes the same bits for them', async () => {
    const session = await open('tracker/image_encoder');
    const feeds = [0, 1, 2, 3].map((seed) => row(session, seed));
    const [full, part] = await Promise.all([Promise.all(feeds.slice(0, 2).map((f) => session.run(f))), Promise.all(feeds.map((f) => session.run(f, ['foreground'])))]);
    expect(session.counts).toEqual({ calls: 2, rows: 6 });
    expect(Object.keys(part[0])).toEqual(['foreground']);
    for (const i of [0, 1]) expect(bits(part[i].foreground).equals(bits(full[i].foreground))).toBe(true);
  });

  it("fails only the caller whose input is bad, as alone: the others' rows come back", async () => {
    const session = await open('sam2grasp');
    const feeds = [0, 1, 2, 3].map((seed) => row(session, seed));
    const bad = { ...feeds[2], proprio: new ort.Tensor('float32', new Float32Array(3), [1, 3]) };
    const results = await Promise.allSettled([feeds[0], feeds[1], bad, feeds[3]].map((f) => session.run(f)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const alone = await session.run(feeds[3]);
    expect(bits((results[3] as PromiseFulfilledResult<Record<string, ort.Tensor>>).value.actions).equals(bits(alone.actions))).toBe(true);
  });

  it('runs alone what cannot be batched: a memory bank led by its size, a constant row joined to the batch', async () => {
    expect(withBatchAxis(readFileSync(file('tracker/memory_attention')), 4)).toBeNull();
    const cvae = await open('act-cvae'); // its latent token is one fixed row: Concat refuses a batch of them
    expect(await cvae.twin(4)).toBeNull();
    const feeds = [0, 1, 2, 3].map((seed) => row(cvae, seed));
    const together = await Promise.all(feeds.map((f) => cvae.run(f)));
    expect(cvae.counts).toEqual({ calls: 4, rows: 4 });
    const alone = await cvae.run(feeds[2]);
    expect(bits(together[2].actions).equals(bits(alone.actions))).toBe(true);
  });

  it('leaves the file it was given untouched when it opens Reshape targets', () => {
    const bytes = readFileSync(file('tracker/mask_decoder'));
    const before = Buffer.from(bytes);
    expect(withBatchAxis(bytes, 8)).not.toBeNull();
    expect(bytes.equals(before)).toBe(true);
  });
});
