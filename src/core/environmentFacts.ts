import { execFileSync } from 'node:child_process';
import { cpus, platform, arch } from 'node:os';
import { projectPackage } from './projectPackage.js';

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

/**
 * Facts about where and with what a run happened: versions, commit, machine. Goes into
 * `run.json` beside the results, never into the episode rows (they must not depend on it).
 */
export function environmentFacts(): Record<string, unknown> {
  const { root, json } = projectPackage();
  return {
    benchVersion: json.version,
    gitCommit: gitCommit(root),
    packages: json.dependencies,
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
  };
}
