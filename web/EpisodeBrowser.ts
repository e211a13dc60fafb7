import type { Rows } from './Rows.js';

/** A select's value for "any". */
const ANY = '*';
/** Rows drawn at most: the count says how many match; the list stays quick with thousands. */
const MAX_SHOWN = 500;

/** How the list can be ordered: the averaging diagnostic (either distance) or the grasp error. */
const SORTS: Record<string, { label: string; column?: string; descending?: boolean }> = {
  file: { label: 'episodes.csv order' },
  nearest: { label: 'closing → nearest object, far first (averaging)', column: 'closing_to_nearest_m', descending: true },
  centroid: { label: 'closing → centroid, near first (averaging)', column: 'closing_to_centroid_m' },
  error: { label: 'grasp error, large first', column: 'grasp_error_m', descending: true },
};

/** The columns the list shows, with their headings. */
const SHOWN: [string, string][] = [
  ['policy', 'policy'],
  ['index', 'key'],
  ['n_objects', 'objects'],
  ['target_name', 'target'],
  ['success_target', 'target ✓'],
  ['success_any', 'any ✓'],
  ['failure_reason', 'failure'],
  ['steps', 'steps'],
  ['grasp_error_m', 'grasp error m'],
  ['closing_to_nearest_m', 'close→nearest m'],
  ['closing_to_centroid_m', 'close→centroid m'],
  ['track_iou', 'track IoU'],
];

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

/**
 * The episode list: filters by policy, cell and failure reason (the empty reason: successes and
 * other episodes that failed without one), sorts, and opens a row's replay when it is clicked.
 */
export class EpisodeBrowser {
  private readonly policy = $<HTMLSelectElement>('#filter-policy');
  private readonly cell = $<HTMLSelectElement>('#filter-cell');
  private readonly reason = $<HTMLSelectElement>('#filter-reason');
  private readonly sort = $<HTMLSelectElement>('#sort');
  /** Rows the filter matches, in the chosen order. */
  matched: number[] = [];

  constructor(private readonly rows: Rows, private readonly onOpen: (row: number) => void) {
    const all = Array.from({ length: rows.count }, (_, r) => r);
    const options = (select: HTMLSelectElement, values: [string, string][]) => select.append(new Option('(any)', ANY), ...values.map(([v, label]) => new Option(label, v)));
    options(this.policy, rows.policies.map((p) => [p, p]));
    options(this.cell, uniqueBy(all, (r) => rows.cellKey(r)).map((r) => [rows.cellKey(r), rows.cellLabel(r)]));
    const reasons = countBy(all.map((r) => rows.value(r, 'failure_reason')));
    options(this.reason, [...reasons].map(([reason, n]) => [reason, `${reason || '(none)'} (${n})`]));
    this.sort.append(...Object.entries(SORTS).map(([v, s]) => new Option(s.label, v)));
    for (const select of [this.policy, this.cell, this.reason, this.sort]) select.addEventListener('change', () => this.update());
    $('#episodes tbody').addEventListener('click', (event) => {
      const tr = (event.target as HTMLElement).closest('tr');
      if (tr?.dataset.row) this.onOpen(Number(tr.dataset.row));
    });
    $('#episodes thead').innerHTML = `<tr><th>#</th><th>cell</th>${SHOWN.map(([, h]) => `<th>${h}</th>`).join('')}</tr>`;
    this.update();
  }

  private update(): void {
    const { rows } = this;
    const keep = (select: HTMLSelectElement, value: (r: number) => string) => (r: number) => select.value === ANY || value(r) === select.value;
    const filters = [keep(this.policy, (r) => rows.value(r, 'policy')), keep(this.cell, (r) => rows.cellKey(r)), keep(this.reason, (r) => rows.value(r, 'failure_reason'))];
    this.matched = Array.from({ length: rows.count }, (_, r) => r).filter((r) => filters.every((f) => f(r)));
    const order = SORTS[this.sort.value];
    if (order.column) {
      const column = order.column;
      const key = (r: number) => rows.number(r, column);
      // Rows without the value (never closed, crashed) go last either way.
      this.matched.sort((a, b) => (Number.isNaN(key(a)) ? 1 : 0) - (Number.isNaN(key(b)) ? 1 : 0) || (order.descending ? key(b) - key(a) : key(a) - key(b)) || a - b);
    }
    const shown = this.matched.slice(0, MAX_SHOWN);
    $('#episode-count').textContent = `${this.matched.length} of ${rows.count} episodes${shown.length < this.matched.length ? ` (the first ${MAX_SHOWN} listed)` : ''}; click one to replay it`;
    $('#episodes tbody').innerHTML = shown.map((r) => this.rowHtml(r)).join('');
  }

  private rowHtml(r: number): string {
    const cells = SHOWN.map(([c]) => `<td>${escapeHtml(this.rows.value(r, c))}</td>`).join('');
    const outcome = this.rows.value(r, 'success_target') === '1' ? 'success' : 'failure';
    return `<tr data-row="${r}" class="${outcome}"><td>${r + 1}</td><td>${escapeHtml(this.rows.cellLabel(r))}</td>${cells}</tr>`;
  }
}

function uniqueBy(rows: number[], key: (r: number) => string): number[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(key(r)) && Boolean(seen.add(key(r))));
}

/** Each value with its count, most frequent first. */
function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
