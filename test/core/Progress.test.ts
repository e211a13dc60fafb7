import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/core/index.js';

/** A stream that is not a terminal, and everything written to it. */
function logStream() {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = false;
  const chunks: string[] = [];
  stream.on('data', (c) => chunks.push(String(c)));
  return { stream: stream as unknown as NodeJS.WriteStream, lines: () => chunks.join('').trimEnd().split('\n') };
}

describe('Progress off a terminal', () => {
  it('writes a plain line per tenth of the run, with the success rate of episodes', () => {
    const log = logStream();
    const progress = new Progress('eval', 20, 'episodes', log.stream);
    for (let i = 0; i < 20; i++) progress.tick(i % 4 !== 0);
    progress.stop();
    expect(log.lines()).toHaveLength(10);
    expect(log.lines()[0]).toBe('eval: 2/20 episodes, success 50.0%');
    expect(log.lines()[9]).toBe('eval: 20/20 episodes, success 75.0%');
  });

  it('counts any unit with the status it is given', () => {
    const log = logStream();
    const progress = new Progress('act', 3, 'batches', log.stream);
    for (const loss of [0.5, 0.4, 0.3]) progress.step(`loss ${loss}`);
    expect(log.lines()).toEqual(['act: 1/3 batches, loss 0.5', 'act: 2/3 batches, loss 0.4', 'act: 3/3 batches, loss 0.3']);
  });

  it('advances by a job\'s reported count, with that report\'s status', () => {
    const log = logStream();
    const progress = new Progress('train tracker', 100, 'steps', log.stream);
    progress.advance(1, 'loss 2.0');
    progress.advance(24, 'loss 1.5');
    progress.advance(75, 'loss 0.2');
    expect(log.lines()).toEqual(['train tracker: 25/100 steps, loss 1.5', 'train tracker: 100/100 steps, loss 0.2']);
  });
});
