import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

let found: { root: string; json: PackageJson } | undefined;

/** The project's root folder and package.json, found by walking up from this module (works from src/ and dist/). */
export function projectPackage(): { root: string; json: PackageJson } {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as PackageJson;
      if (json.name === 'sam2grasp-bench') return (found = { root: dir, json });
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the sam2grasp-bench package.json');
}
