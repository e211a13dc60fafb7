import { describe, expect, it } from 'vitest';
import { episodeId, episodeRng, Rng, sceneRng } from '../../src/core/index.js';

describe('Rng', () => {
  it('replays the same sequence from the same seed', () => {
    const a = new Rng('seed');
    const b = new Rng('seed');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('gives child streams that do not shift when the parent or a sibling draws more', () => {
    const parent = new Rng('p');
    const first = parent.stream('occlusion').next();
    parent.next();
    parent.stream('scene').next();
    expect(parent.stream('occlusion').next()).toBe(first);
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = new Rng('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('shuffles without losing or duplicating elements', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(new Rng('s').shuffled(items).sort()).toEqual(items);
  });
});

describe('episode identity', () => {
  const key = { task: 'cubes', objects: { min: 3, max: 6 }, occlusion: 0.2, index: 17 };

  it('names an episode by its key alone', () => {
    expect(episodeId(key)).toBe('cubes/3-6/0.2/17');
  });

  it('shares the scene between occlusion levels, not the perturbations', () => {
    const occluded = { ...key, occlusion: 0.6 };
    expect(sceneRng(occluded).stream('scene').next()).toBe(sceneRng(key).stream('scene').next());
    expect(episodeRng(occluded).next()).not.toBe(episodeRng(key).next());
  });

  it('seeds every stream from the key', () => {
    expect(episodeRng(key).stream('scene').next()).toBe(episodeRng({ ...key }).stream('scene').next());
    expect(episodeRng(key).stream('scene').next()).not.toBe(episodeRng({ ...key, index: 18 }).stream('scene').next());
  });
});
