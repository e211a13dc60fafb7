import type { SweepSpec } from '../../config/index.js';
import { cellId, type Cell } from '../episode/Cell.js';
import { formatP, type PairedRow } from '../stats/pairedComparisons.js';
import { perceptionCaption, type SummaryRow } from '../stats/summarize.js';
import { textTable } from './textTable.js';

/** Which axis a sweep's tables spread over their columns. */
export type ColumnAxis = 'occlusion' | 'objects';

export function columnAxis(spec: SweepSpec): ColumnAxis {
  return spec.columns ?? (spec.occlusion.length > 1 && spec.objects.length === 1 ? 'occlusion' : 'objects');
}

/**
 * The paper's layout: one table per task (and per value of the axis that is not the columns when
 * it has several), methods as rows, the column axis as columns.
 */
export interface TableSection {
  title: string;
  columns: { label: string; match: (r: { objects: string; occlusion: string }) => boolean }[];
  match: (r: { task: string; objects: string; occlusion: string }) => boolean;
}

const objectsLabel = (o: string) => (o === '1' ? '1 object' : `${o} objects`);
const occlusionLabel = (p: string) => `p = ${p}`;

export function tableSections(spec: SweepSpec, taskIds: readonly string[]): TableSection[] {
  const axis = columnAxis(spec);
  const objects = spec.objects.map((o) => (o.min === o.max ? `${o.min}` : `${o.min}-${o.max}`));
  const occlusion = spec.occlusion.map(String);
  const [columnValues, rowValues] = axis === 'occlusion' ? [occlusion, objects] : [objects, occlusion];
  const field = axis === 'occlusion' ? 'occlusion' : 'objects';
  const other = axis === 'occlusion' ? 'objects' : 'occlusion';
  const columns = columnValues.map((v) => ({ label: axis === 'occlusion' ? occlusionLabel(v) : objectsLabel(v), match: (r: { objects: string; occlusion: string }) => r[field] === v }));
  return taskIds.flatMap((task) =>
    rowValues.map((v) => ({
      title: `${task}, ${axis === 'occlusion' ? objectsLabel(v) : `occlusion ${occlusionLabel(v)}`}`,
      columns,
      match: (r: { task: string; objects: string; occlusion: string }) => r.task === task && r[other] === v,
    })),
  );
}

/**
 * The family a paired comparison is Holm-adjusted in: the table section that shows it (one task,
 * one value of the axis that is not the columns: every pair of methods in every column). A cell
 * outside every section (none, for a sweep's own rows) is a family of its own.
 */
export function sectionFamily(sections: readonly TableSection[]): (cell: Cell) => string {
  return (cell) => {
    const i = sections.findIndex((s) => s.match(cell));
    return i >= 0 ? `section ${i}` : `cell ${cellId(cell)}`;
  };
}

/** How the tables say what `Holm` is. */
const HOLM_NOTE = "Holm: that p adjusted by Holm's method over this table's comparisons";

const pct = (v: number) => (100 * v).toFixed(1);
const cm = (v: number) => (Number.isNaN(v) ? '–' : (100 * v).toFixed(1));
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)}`;

interface Grid {
  header: string[];
  rows: string[][];
}

/** The three grids of one section: success with intervals, paired tests, the averaging diagnostic. */
function sectionGrids(section: TableSection, spec: SweepSpec, summary: readonly SummaryRow[], paired: readonly PairedRow[], latex: boolean): { success: Grid; paired: Grid; averaging: Grid } {
  const inSection = summary.filter((r) => section.match(r));
  const cell = (policy: string, column: TableSection['columns'][number]) => inSection.find((r) => r.policy === policy && column.match(r));
  const name = (policy: string) => (policy === spec.reference ? `${policy} (reference)` : policy);
  const interval = (r: SummaryRow) => (latex ? `${pct(r.rate)} {\\footnotesize [${pct(r.ci_lo)}, ${pct(r.ci_hi)}]}` : `${pct(r.rate)} [${pct(r.ci_lo)}, ${pct(r.ci_hi)}]`);
  const success = spec.policies.map((p) => [name(p), ...section.columns.map((c) => { const r = cell(p, c); return r ? interval(r) : '–'; })]);
  // Every policy met the same keys, so the chance line is one row: grasping a random candidate perfectly.
  const chance = section.columns.map((c) => inSection.find((r) => c.match(r) && !Number.isNaN(r.chance))?.chance);
  if (chance.some((v) => v !== undefined)) success.push(['chance (1 / candidates)', ...chance.map((v) => (v === undefined ? '–' : pct(v)))]);
  const averaging = spec.policies.map((p) => [name(p), ...section.columns.map((c) => { const r = cell(p, c); return r ? `${cm(r.closing_to_nearest)} / ${cm(r.closing_to_centroid)}` : '–'; })]);
  const pairs = paired.filter((r) => section.match(r));
  const pairNames = [...new Set(pairs.map((r) => `${r.policy_a}\u0000${r.policy_b}`))];
  const pairRows = pairNames.map((id) => {
    const [a, b] = id.split('\u0000');
    return [`${a} vs ${b}`, ...section.columns.map((c) => {
      const r = pairs.find((x) => x.policy_a === a && x.policy_b === b && c.match(x));
      return r && r.n ? `${signed((r.successes_a - r.successes_b) / r.n)} (p = ${formatP(r.p)}; Holm ${formatP(r.p_holm)})` : '–';
    })];
  });
  const labels = section.columns.map((c) => c.label);
  return {
    success: { header: ['Method', ...labels], rows: success },
    paired: { header: ['A vs B', ...labels], rows: pairRows },
    averaging: { header: ['Method', ...labels], rows: averaging },
  };
}

function markdownGrid(g: Grid): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(g.header), line(g.header.map((_, i) => (i === 0 ? '---' : '---:'))), ...g.rows.map(line)].join('\n');
}

/** `table.md`: the sweep's tables as a reader of the paper would lay them out. */
export function markdownTables(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[], paired: readonly PairedRow[], pairedAny: readonly PairedRow[] = []): string {
  const out = [`# ${spec.id}`, ...(spec.description ? ['', spec.description] : []), '', `Success on the target object (\`success_target\`), % with its Wilson 95 % interval, ${spec.episodes} episodes per cell${keyRange(spec)}; every method met the same episode keys (occlusion mode ${spec.occlusionMode})${withPerception(summary)}.`];
  for (const section of sections) {
    const grids = sectionGrids(section, spec, summary, paired, false);
    out.push('', `## ${section.title}`, '', markdownGrid(grids.success));
    if (grids.paired.rows.length) out.push('', `Paired comparisons on the same keys: A minus B in points, exact McNemar test (two-sided); ${HOLM_NOTE}.`, '', markdownGrid(grids.paired));
    const anyGrid = sectionGrids(section, spec, summary, pairedAny, false).paired;
    if (anyGrid.rows.length) out.push('', `The same on \`success_any\` (some object lifted and held: a policy that grasps the wrong object counts, one that grasps none does not; ${HOLM_NOTE}, a family of its own).`, '', markdownGrid(anyGrid));
    out.push('', 'Averaging diagnostic: mean horizontal distance (cm) from the closing point to the nearest object / to the centroid of all objects. A policy that averages demonstrations closes near the centroid and far from every object.', '', markdownGrid(grids.averaging));
  }
  return `${out.join('\n')}\n`;
}

/** `; perception: ...` for a caption, or nothing when only the expert ran. */
function withPerception(summary: readonly SummaryRow[]): string {
  const caption = perceptionCaption(summary);
  return caption ? `; ${caption}` : '';
}

const texEscape = (s: string) => s.replace(/[\\&%#_{}$]/g, (c) => (c === '\\' ? '\\textbackslash{}' : `\\${c}`));

function latexGrid(g: Grid, caption: string, escapeCells: boolean): string {
  const row = (cells: string[], escape: boolean) => `${cells.map((c, i) => (escape || i === 0 ? texEscape(c) : c)).join(' & ')} \\\\`;
  return [
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{${caption}}`,
    `\\begin{tabular}{l${'c'.repeat(g.header.length - 1)}}`,
    '\\toprule',
    row(g.header, true),
    '\\midrule',
    ...g.rows.map((r) => row(r, escapeCells)),
    '\\bottomrule',
    '\\end{tabular}',
    '\\end{table}',
  ].join('\n');
}

/** `table.tex`: the same tables for a paper, booktabs style (`\usepackage{booktabs}`). */
export function latexTables(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[], paired: readonly PairedRow[]): string {
  const out = [`% ${spec.id}: generated by sam2grasp; needs \\usepackage{booktabs}`];
  for (const section of sections) {
    const grids = sectionGrids(section, spec, summary, paired, true);
    const where = texEscape(section.title);
    out.push('', latexGrid(grids.success, `${texEscape(spec.id)} (${where}): success on the target, \\% [Wilson 95\\,\\% interval], ${spec.episodes} episodes per cell${keyRange(spec)}${texEscape(withPerception(summary))}.`, false));
    if (grids.paired.rows.length) out.push('', latexGrid(grids.paired, `${texEscape(spec.id)} (${where}): paired differences in points on the same keys, exact McNemar p-values (two-sided); ${HOLM_NOTE}.`, true));
  }
  return `${out.join('\n')}\n`;
}

/** The success and paired-test grids of every section as plain text, for the terminal. */
export function terminalTables(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[], paired: readonly PairedRow[]): string {
  return sections
    .map((section) => {
      const grids = sectionGrids(section, spec, summary, paired, false);
      return [
        `${spec.id}: ${section.title} — success_target % [Wilson 95 %], n = ${spec.episodes} per cell${withPerception(summary)}`,
        textTable(grids.success.header, grids.success.rows),
        // One policy (an eval) has nothing to pair.
        ...(grids.paired.rows.length ? ['', `paired on the same keys: A minus B in points (exact McNemar p, two-sided; ${HOLM_NOTE})`, textTable(grids.paired.header, grids.paired.rows)] : []),
      ].join('\n');
    })
    .join('\n\n');
}

/** The keys' indices when they are not the tables' own (0 .. episodes - 1). */
function keyRange({ firstKey, episodes }: Pick<SweepSpec, 'episodes' | 'firstKey'>): string {
  return firstKey === 0 ? '' : ` (keys ${firstKey}-${firstKey + episodes - 1})`;
}
