import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SweepSpec } from '../../config/index.js';
import type { SummaryRow } from '../stats/summarize.js';
import { columnAxis, type TableSection } from './sweepTables.js';

/**
 * `plot.svg`: success (%) against the column axis (occlusion level or object count), one line per
 * method with its Wilson 95 % interval as bars, one panel per table section. Drawn by Vega-Lite
 * headlessly (no canvas, no browser), so the same results give the same SVG.
 */
export async function sweepPlot(spec: SweepSpec, sections: readonly TableSection[], summary: readonly SummaryRow[]): Promise<string> {
  const axis = columnAxis(spec);
  const values = sections.flatMap((section) =>
    summary
      .filter((r) => section.match(r))
      .map((r) => ({
        panel: section.title,
        method: r.policy,
        x: axis === 'occlusion' ? Number(r.occlusion) : r.objects,
        success: 100 * r.rate,
        lo: 100 * r.ci_lo,
        hi: 100 * r.ci_hi,
      })),
  );
  const x =
    axis === 'occlusion'
      ? { field: 'x', type: 'quantitative' as const, title: 'occlusion p (share of frames lost)' }
      : { field: 'x', type: 'ordinal' as const, title: 'objects in the bin', sort: spec.objects.map((o) => (o.min === o.max ? `${o.min}` : `${o.min}-${o.max}`)) };
  const color = { field: 'method', type: 'nominal' as const, sort: spec.policies, title: 'method' };
  const layered: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${spec.id}: success on the target, % (Wilson 95 % intervals, n = ${spec.episodes} per point)`,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: sections.map((s) => s.title) },
    columns: 2,
    spec: {
      width: 320,
      height: 220,
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'success', type: 'quantitative', title: 'success (%)', scale: { domain: [0, 100] } }, color } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'success (%)' }, y2: { field: 'hi' }, color } },
      ],
    },
  };
  const view = new vega.View(vega.parse(compile(layered).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}
