import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskSpec } from '../../src/config/index.js';
import { InputError } from '../../src/core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'taskspec-'));
function specFile(content: unknown): string {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

const minimal = { id: 'mini', objects: { count: 3, pool: ['cubes'] } };

describe('loadTaskSpec', () => {
  it('fills every default', () => {
    const spec = loadTaskSpec(specFile(minimal));
    expect(spec.layout).toBe('scattered');
    expect(spec.bin.inner).toEqual([0.3, 0.3]);
    expect(spec.control).toEqual({ controlHz: 10, physicsHz: 240, horizon: 12 });
    expect(spec.gripper.fingerForce).toBe(10);
  });

  it('names the file for malformed JSON', () => {
    const path = specFile('{ "id": ');
    expect(errorOf(() => loadTaskSpec(path)).message).toMatch(new RegExp(`^${path}: malformed JSON`));
  });

  it('names a misspelt field and suggests the right one', () => {
    const err = errorOf(() => loadTaskSpec(specFile({ ...minimal, control: { horizn: 5 } })));
    expect(err.message).toContain('control.horizn: unknown field (did you mean "horizon"?)');
  });

  it.each([0, 31])('rejects %i objects, quoting the value', (count) => {
    const err = errorOf(() => loadTaskSpec(specFile({ ...minimal, objects: { count, pool: ['cubes'] } })));
    expect(err.message).toContain('objects.count');
    expect(err.message).toContain(`got ${count}`);
  });

  it('rejects a range whose min exceeds its max', () => {
    const err = errorOf(() => loadTaskSpec(specFile({ ...minimal, objects: { count: { min: 5, max: 3 }, pool: ['cubes'] } })));
    expect(err.message).toContain('min must not exceed max');
  });

  it('names a missing file', () => {
    expect(errorOf(() => loadTaskSpec(join(dir, 'nope.json'))).message).toMatch(/nope\.json: no such file/);
  });

  it('puts everything on one line', () => {
    const err = errorOf(() => loadTaskSpec(specFile({ id: 'Bad Id', objects: { count: 99 }, extra: 1 })));
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/more problems?\)$/);
  });
});
