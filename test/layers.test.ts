import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/helpers.js';

/** Which folders of src/ each folder may import from (DESIGN.md, "Folders, and who may import whom"). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  config: ['core'],
  sim: ['core', 'config'],
  render: ['core', 'config', 'sim'],
  env: ['core', 'config', 'sim', 'render'],
  perception: ['core', 'config', 'render'],
  policy: ['core', 'config', 'env', 'perception'],
  learn: ['core', 'config', 'sim', 'render', 'env', 'perception', 'policy'],
  bench: ['core', 'config', 'sim', 'render', 'env', 'perception', 'policy'],
  cli: ['core', 'config', 'learn', 'bench'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('layers', () => {
  it('every import crosses folders only downwards, and into a folder through its index', () => {
    const src = join(ROOT, 'src');
    const problems: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = relative(src, file).split('/')[0];
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(src, join(file, '..', spec)).split('/');
        const to = target[0];
        if (to === from) continue;
        if (!ALLOWED[from]?.includes(to)) problems.push(`${relative(ROOT, file)} imports ${to}/`);
        else if (target.slice(1).join('/') !== 'index.js') problems.push(`${relative(ROOT, file)} reaches inside ${to}/ (${spec})`);
      }
    }
    expect(problems).toEqual([]);
  });
});
