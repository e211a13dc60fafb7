import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sam2grasp, tempDir } from './helpers.js';

describe('sam2grasp export', () => {
  const dir = tempDir('export-cli-');

  it('writes a LeRobot dataset from collected demonstrations', () => {
    const demos = join(dir, 'demos');
    const collected = sam2grasp(['collect', '--task', 'cubes', '--demos', '2', '--objects', '1', '--out', demos]);
    expect(collected.code, collected.stderr).toBe(0);
    const out = join(dir, 'lerobot');
    const result = sam2grasp(['export', '--demos', demos, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^2 episodes, \d+ frames at 10 fps written to .* \(LeRobot v2\.1\)$/m);
    const info = JSON.parse(readFileSync(join(out, 'meta', 'info.json'), 'utf8'));
    expect(info).toMatchObject({ codebase_version: 'v2.1', total_episodes: 2, fps: 10 });
    expect(existsSync(join(out, 'data', 'chunk-000', 'episode_000001.parquet'))).toBe(true);
    // An existing output folder is refused, not overwritten.
    const again = sam2grasp(['export', '--demos', demos, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`sam2grasp: ${out}: already exists: export into a new folder`);
  });

  it('refuses a folder that is not a demonstration set: one line naming it, exit 2, no output', () => {
    const notDemos = tempDir('not-demos-');
    writeFileSync(join(notDemos, 'episodes.csv'), 'index\n0\n');
    for (const folder of [notDemos, join(dir, 'missing')]) {
      const out = join(dir, 'never');
      const result = sam2grasp(['export', '--demos', folder, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`sam2grasp: ${folder}: is not a demonstration set`);
      expect(existsSync(out)).toBe(false);
    }
    const noFlag = sam2grasp(['export', '--out', join(dir, 'never')]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr.trim()).toBe('sam2grasp: --demos: is required');
  });
});
