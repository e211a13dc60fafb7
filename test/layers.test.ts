import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './cli/helpers.js';

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
  cli: ['core', 'config', 'sim', 'render', 'env', 'perception', 'policy', 'learn', 'bench'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The files of ours a file imports (static, type-only, re-exports and dynamic), as .ts paths. */
function importedFiles(file: string): string[] {
  const specs = readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport\s*\(?)\s*'(\.[^']+)'/g);
  return [...specs].map(([, spec]) => join(file, '..', spec).replace(/\.js$/, '.ts'));
}

/**
 * Every import cycle among the files of src/, each as its files in import order, the first
 * repeated at the end. A depth-first search: an import of a file still on the stack closes a cycle.
 */
function importCycles(src: string): string[][] {
  const graph = new Map(sourceFiles(src).map((f) => [f, importedFiles(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(src, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
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

  it('no file imports itself through other files, inside a folder or across folders', () => {
    const cycles = importCycles(join(ROOT, 'src')).map((cycle) => cycle.join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('the cycle check finds a cycle and names its files', () => {
    const src = tempDir('sam2grasp-cycles-');
    mkdirSync(join(src, 'bench'));
    writeFileSync(join(src, 'bench', 'a.ts'), "import { b } from './b.js';\nexport const a = 1;\n");
    writeFileSync(join(src, 'bench', 'b.ts'), "import type { C } from './c.js';\nexport const b = 2;\n");
    writeFileSync(join(src, 'bench', 'c.ts'), "export type C = number;\nexport const c = () => import('./a.js');\n");
    writeFileSync(join(src, 'bench', 'd.ts'), "import { a } from './a.js';\n");
    try {
      expect(importCycles(src)).toEqual([['bench/a.ts', 'bench/b.ts', 'bench/c.ts', 'bench/a.ts']]);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
});
