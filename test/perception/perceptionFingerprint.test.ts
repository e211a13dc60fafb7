import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { learnedTrackerManifest } from '../../src/bench/index.js';
import { loadTask } from '../../src/env/index.js';
import { loadPerception } from '../../src/perception/index.js';

/** A feature cache is keyed by the perception's fingerprint: a retrained tracker keeps its name, not its bytes. */
const spec = loadTask('cubes').spec;
const copy = mkdtempSync(join(tmpdir(), 'sam2grasp-fingerprint-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('Perception.fingerprint', () => {
  it('follows the model files, not their name or folder', async () => {
    const shipped = await loadPerception({ kind: 'learned' }, spec, learnedTrackerManifest());
    cpSync(dirname(learnedTrackerManifest()), copy, { recursive: true });
    const manifest = join(copy, 'tracker.json');
    const same = await loadPerception({ kind: 'learned' }, spec, manifest);
    expect(shipped.fingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(same.fingerprint()).toBe(shipped.fingerprint());

    const retrained = JSON.parse(readFileSync(manifest, 'utf8'));
    retrained.maskThreshold += 0.25;
    writeFileSync(manifest, JSON.stringify(retrained));
    const other = await loadPerception({ kind: 'learned' }, spec, manifest);
    expect(other.name).toBe(shipped.name);
    expect(other.fingerprint()).not.toBe(shipped.fingerprint());
  });

  it('covers a sam2: tracker besides the learned foreground, and is a constant for the oracle', async () => {
    const learned = await loadPerception({ kind: 'learned' }, spec, learnedTrackerManifest());
    const viaSam2 = await loadPerception({ kind: 'sam2', manifest: learnedTrackerManifest() }, spec, learnedTrackerManifest());
    expect(viaSam2.fingerprint()).not.toBe(learned.fingerprint());
    expect((await loadPerception({ kind: 'oracle' }, spec, learnedTrackerManifest())).fingerprint()).toBe('oracle');
  });
});
