import type { ReportData } from '../src/bench/report/ReportData.js';

const $ = (selector: string) => document.querySelector(selector) as HTMLElement;

/** The title, and the banners: an unfinished sweep, notes about the report. */
export function showHeader(data: ReportData): void {
  document.title = `${data.id}: sam2grasp report`;
  $('#title').textContent = data.id;
  $('#description').textContent = data.description;
  const { done, planned } = data.episodes;
  const banner = $('#unfinished');
  banner.hidden = done >= planned;
  banner.textContent = `unfinished: ${done} of ${planned} episodes. The tables, plot and list show the episodes run so far; re-run the sweep's command to finish it.`;
  const notes = $('#notes');
  notes.hidden = data.notes.length === 0;
  notes.textContent = data.notes.join('\n');
}
