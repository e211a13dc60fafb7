import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../core/index.js';

/** Reads a JSON file; a missing file or malformed JSON becomes an InputError naming the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(path, `malformed JSON (${(err as Error).message})`);
  }
}

/**
 * Validates `data` against `schema`. The first problem becomes one InputError line naming the
 * source and the field's dot path, quoting the bad value, and suggesting the nearest known field
 * for a misspelt one.
 */
export function parseSpec<S extends z.ZodType>(schema: S, data: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new InputError(source, describeIssue(schema, data, issues[0]) + more);
}

function describeIssue(schema: z.ZodType, data: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schemaAt(schema, path));
    return issue.keys
      .map((key) => {
        const field = fieldPath([...issue.path, key]);
        const hint = nearest(key, known);
        return `${field}: unknown field${hint ? ` (did you mean "${hint}"?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`;
      })
      .join('; ');
  }
  const where = path.length ? fieldPath(issue.path) : '(top level)';
  const value = valueAt(data, issue.path);
  const got = value === undefined ? 'missing' : `got ${excerpt(value)}`;
  return `${where}: ${issue.message} (${got})`;
}

/** A field's path as a spec's reader writes it: `objects.custom[0].shape.points`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
}

/** Characters of a bad value an error quotes: enough to recognise it, never a file's worth. */
const EXCERPT_CHARS = 80;

/**
 * A bad value as JSON, cut to `EXCERPT_CHARS` with an ellipsis and, for an array, its length: a
 * 200 000-point array would otherwise make a 13 MB error line. Arrays are written element by
 * element, so a long one is never turned into text whole.
 */
export function excerpt(value: unknown, max = EXCERPT_CHARS): string {
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let i = 0; i < value.length && text.length <= max; i++) text += `${i ? ',' : ''}${excerpt(value[i], max)}`;
    text += ']';
  } else {
    text = JSON.stringify(value) ?? String(value);
  }
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…${Array.isArray(value) ? ` (${value.length} items)` : ''}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Follows object shapes and array elements down `path`, through defaults and optionals. */
function schemaAt(schema: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (node instanceof z.ZodObject) node = unwrap(node.shape[key] as z.ZodType | undefined);
    else if (node instanceof z.ZodArray) node = unwrap(node.element as z.ZodType);
    else return undefined;
  }
  return node;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (let i = 0; i < 8 && node; i++) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodOptional) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodPipe) {
      node = node.in as z.ZodType;
    } else break;
  }
  return node;
}

function knownKeys(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The known key within edit distance 2 of `key`, if any (`horizn` -> `horizon`). */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
