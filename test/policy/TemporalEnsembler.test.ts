import { describe, expect, it } from 'vitest';
import type { Action, Observation } from '../../src/env/index.js';
import { EnsembledPolicy } from '../../src/policy/EnsembledPolicy.js';
import { TemporalEnsembler } from '../../src/policy/TemporalEnsembler.js';
import type { Policy } from '../../src/policy/index.js';

const a = (x: number): Action => ({ x, y: 0, z: 0, yaw: 0, gripper: 0 });
const chunk = (start: number, k: number) => Array.from({ length: k }, (_, i) => a(100 * start + i));

describe('TemporalEnsembler', () => {
  it('weights the oldest prediction most: w_i = exp(-m i), normalised (hand-computed, m = 0.5)', () => {
    const e = new TemporalEnsembler(0.5);
    e.add(0, chunk(0, 4));
    e.add(1, chunk(1, 4));
    e.add(2, chunk(2, 4));
    // At t = 2 the chunks from 0, 1 and 2 predict 2, 101 and 200.
    const w = [1, Math.exp(-0.5), Math.exp(-1)];
    const sum = w[0] + w[1] + w[2];
    expect(e.weightsAt(2).map((x) => x.weight)).toEqual(w.map((v) => expect.closeTo(v / sum, 12)));
    expect(e.actionAt(2)!.x).toBeCloseTo((w[0] * 2 + w[1] * 101 + w[2] * 200) / sum, 10);
  });

  it('with m = 0 averages evenly, and forgets chunks that no longer cover the step', () => {
    const e = new TemporalEnsembler(0);
    e.add(0, chunk(0, 2));
    e.add(1, chunk(1, 2));
    expect(e.actionAt(1)!.x).toBeCloseTo((1 + 100) / 2, 12);
    expect(e.actionAt(2)!.x).toBe(101); // the chunk from 0 covered steps 0 and 1 only
    expect(e.actionAt(3)).toBeNull();
  });

  it("without ensembling executes the newest usable chunk alone (Diffusion Policy's receding horizon)", () => {
    const e = new TemporalEnsembler(0.01, false);
    e.add(0, chunk(0, 10));
    expect(e.actionAt(4)!.x).toBe(4);
    e.add(5, chunk(5, 10), 1);
    expect(e.actionAt(5)!.x).toBe(5); // the new chunk is not usable yet: the old one goes on
    expect(e.actionAt(6)!.x).toBe(501);
    expect(e.weightsAt(7)).toEqual([{ start: 5, weight: 1 }]);
  });

  it('does not use a chunk before its latency has passed', () => {
    const e = new TemporalEnsembler(0);
    e.add(0, chunk(0, 10), 3);
    expect(e.actionAt(2)).toBeNull();
    expect(e.actionAt(3)!.x).toBe(3); // indexed from the query step: already 3 steps in
  });
});

describe('EnsembledPolicy (asynchronous inference)', () => {
  /** A chunk policy that records when it is asked. */
  function recorder(k: number) {
    const asked: number[] = [];
    const policy: Policy = {
      name: 'rec',
      privileged: false,
      reset() {},
      act(obs: Observation) {
        asked.push(obs.t);
        return chunk(obs.t, k);
      },
    };
    return { policy, asked };
  }
  const obs = (t: number) => ({ t, proprio: { palm: { x: -1, y: 0, z: 0.3, yaw: 0 }, opening: 0.1, gripForce: 0, gripper: 0 } }) as unknown as Observation;

  it('queries every n steps and ensembles the usable chunks; holds still until the first is usable', async () => {
    const { policy, asked } = recorder(6);
    const run = new EnsembledPolicy(policy, { ensemble: true, ensembleM: 0, queryEvery: 2, latencySteps: 1 });
    await run.reset({} as never, obs(0));
    const xs: number[] = [];
    for (let t = 0; t < 7; t++) xs.push((await run.act(obs(t)))[0].x);
    expect(asked).toEqual([0, 2, 4, 6]);
    // t=0: nothing usable (latency 1) -> hold the start pose (x = -1); t=1: chunk 0 -> 1;
    // t=2: chunk 0 only (chunk 2 usable from 3) -> 2; t=3: chunks 0 and 2 -> (3 + 201) / 2.
    expect(xs.slice(0, 4)).toEqual([-1, 1, 2, (3 + 201) / 2]);
    expect(xs[5]).toBeCloseTo((5 + 203 + 401) / 3, 10);
  });
});
