import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SweepSpec } from '../../config/index.js';
import type { SummaryRow } from '../stats/summarize.js';
import { columnAxis, type TableSection } from './sweepTables.js';

/**
 * `plot.svg`: the plot `sweepPlotSpec` describes, drawn by Vega headlessly (no canvas, no
 * browser), so the same results give the same SVG.
 */
export async function sweepPlot(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(sweepPlotSpec(spec, sections, summary)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}

/**
 * The sweep's plot as a Vega-Lite spec: success (%) against the column axis (occlusion level or
 * object count), one line per method: on the target (solid, with its Wilson 95 % interval as
 * bars) and on any object (dashed: a policy that grasps something, not what it was asked for),
 * and the chance line (grey: grasping a random candidate perfectly), one panel per table section.
 * `tooltips` adds hover tooltips for the report page; the SVG file has no use for them.
 */
export function sweepPlotSpec(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[], { tooltips = false } = {}): TopLevelSpec {
  const axis = columnAxis(spec);
  const xOf = (r: SummaryRow) => (axis === 'occlusion' ? Number(r.occlusion) : r.objects);
  const values = sections.flatMap((section) =>
    summary
      .filter((r) => section.match(r))
      .flatMap((r) => [
        { panel: section.title, method: r.policy, measure: 'target', x: xOf(r), success: 100 * r.rate, lo: 100 * r.ci_lo, hi: 100 * r.ci_hi },
        { panel: section.title, method: r.policy, measure: 'any object', x: xOf(r), success: 100 * r.rate_any },
      ]),
  );
  // Every policy met the same keys: one chance value per panel and column.
  const chance = new Map<string, { panel: string; x: number | string; chance: number }>();
  for (const section of sections) {
    for (const r of summary.filter((row) => section.match(row) && !Number.isNaN(row.chance))) chance.set(`${section.title}|${xOf(r)}`, { panel: section.title, x: xOf(r), chance: 100 * r.chance });
  }
  const x =
    axis === 'occlusion'
      ? { field: 'x', type: 'quantitative' as const, title: 'occlusion p (share of frames lost)' }
      : { field: 'x', type: 'ordinal' as const, title: 'objects in the bin', sort: spec.objects.map((o) => (o.min === o.max ? `${o.min}` : `${o.min}-${o.max}`)) };
  const color = { field: 'method', type: 'nominal' as const, sort: spec.policies, title: 'method' };
  const y = { field: 'success', type: 'quantitative' as const, title: 'success (%)', scale: { domain: [0, 100] } };
  const dash = { field: 'measure', type: 'nominal' as const, sort: ['target', 'any object'], title: 'grasped' };
  const percent = (field: string, title: string) => ({ field, type: 'quantitative' as const, title, format: '.1f' });
  const lineTips = tooltips ? { tooltip: [{ field: 'method', type: 'nominal' as const }, { field: 'measure', type: 'nominal' as const, title: 'grasped' }, { field: 'x', type: x.type, title: x.title }, percent('success', 'success (%)'), percent('lo', 'Wilson 95 % low'), percent('hi', 'Wilson 95 % high')] } : {};
  const chanceTips = tooltips ? { tooltip: [{ field: 'x', type: x.type, title: x.title }, percent('chance', 'chance (%)')] } : {};
  const layered: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${spec.id}: success on the target, % (Wilson 95 % intervals, n = ${spec.episodes} per point)`,
    data: { values: [...values, ...[...chance.values()].map((c) => ({ ...c, method: 'chance', measure: 'chance' }))] },
    facet: { field: 'panel', type: 'nominal', title: null, sort: sections.map((s) => s.title) },
    columns: 2,
    spec: {
      width: 320,
      height: 220,
      layer: [
        { transform: [{ filter: "datum.measure !== 'chance'" }], mark: { type: 'line', point: true }, encoding: { x, y, color, strokeDash: dash, ...lineTips } },
        { transform: [{ filter: "datum.measure === 'target'" }], mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'success (%)' }, y2: { field: 'hi' }, color } },
        { transform: [{ filter: "datum.measure === 'chance'" }], mark: { type: 'line', color: '#888', strokeDash: [2, 2] }, encoding: { x, y: { field: 'chance', type: 'quantitative', title: 'success (%)' }, ...chanceTips } },
      ],
    },
  };
  return layered;
}
