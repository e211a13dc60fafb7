import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/helpers.js';

/** The README and every page under docs/: the documentation a reader can follow links through. */
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const TEXT = PAGES.map((page) => readFileSync(join(ROOT, page), 'utf8')).join('\n');

const CLI_DIR = join(ROOT, 'src', 'cli');
const CLI_FILES = readdirSync(CLI_DIR).filter((f) => f.endsWith('.ts'));
const cliSource = (file: string) => readFileSync(join(CLI_DIR, file), 'utf8');

/** Fenced blocks and inline code hold examples, not links: `[1, 3, H, W]` is a shape. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links and images, reference definitions and HTML src/href attributes. */
function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]);
  for (const m of text.matchAll(/<(?:img|a|source)\s[^>]*?(?:src|href)="([^"]+)"/g)) targets.push(m[1]);
  return targets;
}

/** A link the checker follows: not a URL with a scheme (http:, https:, mailto:) and not a bare #anchor. */
const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');

/** The text from an opening brace at `start` to its matching close, skipping quoted strings. */
function braced(source: string, start: number): string {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === "'" || c === '"' || c === '`') {
      const close = source.indexOf(c, i + 1);
      i = close < 0 ? source.length : close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`unbalanced braces from offset ${start}`);
}

/** The object literal a constant of src/cli/*.ts is bound to (`export const OCCLUSION_FLAGS = { ... }`). */
function constantLiteral(name: string): string {
  for (const file of CLI_FILES) {
    const source = cliSource(file);
    const m = new RegExp(`const\\s+${name}\\s*(?::[^=]+)?=\\s*\\{`).exec(source);
    if (m) return braced(source, m.index + m[0].length - 1);
  }
  throw new Error(`cannot find the options object ${name} in src/cli`);
}

/** Top-level keys of an options literal, following spreads of constants (`...OCCLUSION_FLAGS`). */
function optionNames(literal: string): string[] {
  let top = '';
  let depth = 0;
  for (const c of literal.slice(1, -1)) {
    if (c === '{') depth++;
    if (depth === 0) top += c;
    if (c === '}') depth--;
  }
  const names = [...top.matchAll(/(?:^|,)\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_$][\w$]*))\s*:/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  for (const m of top.matchAll(/\.\.\.\s*([A-Za-z_$][\w$]*)/g)) names.push(...optionNames(constantLiteral(m[1])));
  return names;
}

/** Every flag passed to parseFlags in a command file: the second argument, a literal or a constant. */
function flagsOf(file: string): string[] {
  const source = cliSource(file);
  const names: string[] = [];
  for (const m of source.matchAll(/\bparseFlags\(/g)) {
    const comma = source.indexOf(',', m.index);
    const rest = source.slice(comma + 1).trimStart();
    const start = source.length - rest.length;
    if (rest.startsWith('{')) names.push(...optionNames(braced(source, start)));
    else names.push(...optionNames(constantLiteral(/^[A-Za-z_$][\w$]*/.exec(rest)![0])));
  }
  return names;
}

/** Command names as main.ts registers them (`'train-perception': () => import('./trainPerception.js')`). */
function registeredCommands(): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const m of cliSource('main.ts').matchAll(/['"]?([\w-]+)['"]?\s*:\s*\(\)\s*=>\s*import\(\s*['"]\.\/([\w-]+)\.js['"]\s*\)/g)) byFile.set(`${m[2]}.ts`, m[1]);
  return byFile;
}

const mentions = (needle: string) => new RegExp(`${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(TEXT);

describe('docs: links', () => {
  it('finds the README and its pages', () => {
    expect(PAGES).toContain('README.md');
    expect(PAGES.length).toBeGreaterThan(5);
  });

  it.each(PAGES)('every relative link and image in %s resolves to a file', (page) => {
    const targets = linkTargets(readFileSync(join(ROOT, page), 'utf8')).filter(isRelative);
    const broken = targets.filter((target) => {
      const path = decodeURI(target.replace(/[#?].*$/, ''));
      const resolved = resolve(ROOT, dirname(page), path);
      return !resolved.startsWith(ROOT) || !existsSync(resolved);
    });
    expect(broken, `${page}: links to missing files (relative to ${dirname(page)}/)`).toEqual([]);
  });

  it('reads links the way the pages write them', () => {
    const sample = '![a](docs/a.png) [`b`](b.md#x) `[1, 3](not-a-link)` [c](https://x.org) [d](#top) <img src="e.svg">\n```\n[f](inside-code.md)\n```\n[g]: ref.md';
    expect(linkTargets(sample)).toEqual(['docs/a.png', 'b.md#x', 'https://x.org', '#top', 'ref.md', 'e.svg']);
    expect(linkTargets(sample).filter(isRelative)).toEqual(['docs/a.png', 'b.md#x', 'ref.md', 'e.svg']);
  });
});

describe('docs: the CLI', () => {
  const commandFiles = CLI_FILES.filter((f) => /export const summary\b/.test(cliSource(f)) && /export const usage\b/.test(cliSource(f)));

  it('finds the commands and their flags in src/cli', () => {
    expect(commandFiles.length).toBeGreaterThanOrEqual(10);
    expect(flagsOf('eval.ts')).toEqual(expect.arrayContaining(['task', 'policy', 'occlusion', 'occlusion-mode', 'tracker', 'workers']));
    expect(flagsOf('gate.ts')).toEqual(['results', 'reference', 'alpha', 'ignore-hashes']);
  });

  it('documents every flag a command accepts as --<name>', () => {
    // parseFlags adds --help to every command.
    const flags = new Map<string, string[]>([['help', ['every command']]]);
    for (const file of commandFiles) for (const name of flagsOf(file)) flags.set(name, [...(flags.get(name) ?? []), file]);
    const missing = [...flags].filter(([name]) => !mentions(`--${name}`)).map(([name, files]) => `--${name} (${files.join(', ')})`);
    expect(missing, 'flags no page of README.md or docs/ mentions').toEqual([]);
  });

  it('documents every command as `sam2grasp <command>`', () => {
    const registered = registeredCommands();
    const kebab = (file: string) => basename(file, '.ts').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const commands = commandFiles.map((file) => registered.get(file) ?? kebab(file));
    expect(commands).toContain('train-perception');
    const missing = commands.filter((command) => !mentions(`sam2grasp ${command}`));
    expect(missing, `commands no page mentions (pages: ${PAGES.map((p) => relative(ROOT, join(ROOT, p))).join(', ')})`).toEqual([]);
  });
});
