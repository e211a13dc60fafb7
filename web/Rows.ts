import type { ReportData } from '../src/bench/report/ReportData.js';

/** The episode rows of data.js, read by column name. Row numbers are episodes.csv's order (0-based). */
export class Rows {
  private readonly columnIndex: Map<string, number>;
  private readonly byPair = new Map<string, number>();
  /** Policies in order of first appearance (the sweep's order). */
  readonly policies: string[];

  constructor(private readonly data: ReportData) {
    this.columnIndex = new Map(data.columns.map((c, i) => [c, i]));
    for (let r = 0; r < this.count; r++) this.byPair.set(`${this.pairKey(r)}|${this.value(r, 'policy')}`, r);
    this.policies = [...new Set(data.rows.map((_, r) => this.value(r, 'policy')))];
  }

  get count(): number {
    return this.data.rows.length;
  }

  value(row: number, column: string): string {
    const i = this.columnIndex.get(column);
    return i === undefined ? '' : (this.data.rows[row][i] ?? '');
  }

  /** A number column, or NaN when the row has no value (a crashed episode, one that never closed). */
  number(row: number, column: string): number {
    const v = this.value(row, column);
    return v === '' ? NaN : Number(v);
  }

  /** The row's cell as `Cell.ts` joins it: task|objects|occlusion|occlusion_mode. */
  cellKey(row: number): string {
    return ['task', 'objects', 'occlusion', 'occlusion_mode'].map((c) => this.value(row, c)).join('|');
  }

  /** A cell for people: `cubes, 3-6 objects, occlusion 0.2 frames`. */
  cellLabel(row: number): string {
    return `${this.value(row, 'task')}, ${this.value(row, 'objects')} objects, occlusion ${this.value(row, 'occlusion')} ${this.value(row, 'occlusion_mode')}`;
  }

  /** The episode key: every policy that ran it shares it (a paired comparison's unit). */
  pairKey(row: number): string {
    return `${this.cellKey(row)}|${this.value(row, 'index')}`;
  }

  /** The row of the same episode key under another policy, if that policy ran it. */
  pairedRow(row: number, policy: string): number | undefined {
    return this.byPair.get(`${this.pairKey(row)}|${policy}`);
  }

  /** What became of the episode, in a few words. */
  outcome(row: number): string {
    if (this.value(row, 'success_target') === '1') return 'success';
    return this.value(row, 'failure_reason') || 'failure';
  }
}
