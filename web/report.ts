import { DATA_GLOBAL } from '../src/bench/report/ReportData.js';
import { EpisodeBrowser } from './EpisodeBrowser.js';
import { MotionLoader } from './MotionLoader.js';
import type { ReportApi } from './ReportApi.js';
import { ReplayPanel } from './ReplayPanel.js';
import { Rows } from './Rows.js';
import { showHeader } from './showHeader.js';
import { showPlot } from './showPlot.js';

/**
 * The report page: data.js (a classic script, loaded before this bundle) holds the sweep; this
 * draws the header, the tables, the plot, the episode list and the replay panel, and exposes
 * `window.report` (ReportApi.ts).
 */
async function main(): Promise<void> {
  const data = window[DATA_GLOBAL];
  if (!data) throw new Error('data.js did not load: open index.html from its report folder');
  showHeader(data);
  (document.querySelector('#tables') as HTMLElement).innerHTML = data.tablesHtml;
  const rows = new Rows(data);
  const panel = new ReplayPanel(data, rows, new MotionLoader(data.motion, data.units));
  const browser = new EpisodeBrowser(rows, (row) => void panel.open(row).then(() => document.querySelector('#replay')?.scrollIntoView()));
  let ready = false;
  const api: ReportApi = {
    get ready() {
      return ready;
    },
    get rows() {
      return browser.matched.length;
    },
    openEpisode: (row) => panel.open(row),
    compareWith: (policy) => panel.compareWith(policy),
    setStep: (t) => panel.setStep(t),
    get step() {
      return panel.step;
    },
    get steps() {
      return panel.steps;
    },
    get replayStatus() {
      return panel.status;
    },
    replayedPose: (body, view = 0) => panel.pose(body, view),
    binRegion: (view = 0) => panel.binRegion(view),
  };
  window.report = api;
  await showPlot(document.querySelector('#plot') as HTMLElement, data.plot);
  ready = true;
  document.body.dataset.ready = 'true';
}

main().catch((err: unknown) => {
  const message = document.querySelector('#error') as HTMLElement;
  message.hidden = false;
  message.textContent = `The report failed: ${(err as Error).message}`;
  throw err;
});
