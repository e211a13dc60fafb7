import { afterAll, describe, expect, it } from 'vitest';
import { GraspEnv, loadTask } from '../../src/env/index.js';
import { objectSegmentId } from '../../src/render/index.js';

/** The colour an object shows most in the scene camera (its top face, lit the same for all). */
function dominantColours(env: GraspEnv): string[] {
  const { rgb, ids } = env.trueFrames().scene;
  return env.privileged().objects.map((object) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== objectSegmentId(object.index)) continue;
      const colour = `${rgb[3 * i]},${rgb[3 * i + 1]},${rgb[3 * i + 2]}`;
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0][0];
  });
}

describe('look-alike scenes', () => {
  const envs: GraspEnv[] = [];
  afterAll(() => envs.forEach((e) => e.close()));
  const sceneOf = async (task: string, count: number) => {
    const env = await GraspEnv.create(loadTask(task));
    envs.push(env);
    env.reset({ task, objects: { min: count, max: count }, occlusion: 0, index: 2 });
    return env;
  };

  it('render their twins in identical colours, where cubes differ', async () => {
    const twins = dominantColours(await sceneOf('lookalike', 5));
    expect(new Set(twins).size).toBe(1);
    const cubes = dominantColours(await sceneOf('cubes', 5));
    expect(new Set(cubes).size).toBe(5);
  });

  it('split the two-colour variant as evenly as the count allows', async () => {
    const env = await sceneOf('lookalike2', 5);
    const names = env.privileged().objects.map((o) => o.desc.name).sort();
    expect(names).toEqual(['twin_blue', 'twin_blue', 'twin_blue', 'twin_orange', 'twin_orange'].sort());
    expect(new Set(dominantColours(env)).size).toBe(2);
  });
});
