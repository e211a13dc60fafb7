import { parse, View, type Spec } from 'vega';

/**
 * Draws the sweep's plot (the Vega spec data.js carries, compiled from the Vega-Lite spec that
 * plot.svg is drawn from) as SVG in the page; hovering a point shows its values in a tooltip
 * (Vega's own handler: the browser's title tooltip).
 */
export async function showPlot(container: HTMLElement, spec: unknown): Promise<void> {
  const view = new View(parse(spec as Spec), { renderer: 'svg', container, hover: true });
  await view.runAsync();
}
