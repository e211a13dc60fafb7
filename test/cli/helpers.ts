import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** Runs the built CLI (`npm test` builds first) and captures its output. */
export function sam2grasp(args: string[], cwd = ROOT) {
  return sam2graspWith({}, args, cwd);
}

/** The same, with extra environment variables. */
export function sam2graspWith(env: Record<string, string>, args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'sam2grasp-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
