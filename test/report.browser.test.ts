import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/bench/index.js';
import { decodeMotion, motionRecords } from '../src/bench/record/motionCodec.js';
import { CLOSING_COMMAND, loadTask } from '../src/env/index.js';
import type { ReportApi } from '../web/ReportApi.js';
import { ROOT, sam2grasp, tempDir } from './cli/helpers.js';

/**
 * `sam2grasp report` in a real browser: Debian's Chromium, headless, WebGL on SwiftShader (no
 * GPU), driven by puppeteer-core, which downloads nothing. The page is opened from disk, as a
 * reader opens it. SAM2GRASP_SCREENSHOTS=1 also writes docs/images/report.png and replay.png.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // A closed network: no update, sync or component traffic to be refused at every start.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const dir = tempDir('sam2grasp-report-');
const sweepDir = join(dir, 'sweep');
const specPath = join(dir, 'small.json');
/** Two policies on the same keys: the expert succeeds, act fails in its several ways. */
writeFileSync(specPath, JSON.stringify({ id: 'report-small', policies: ['expert', 'act'], reference: 'expert', tasks: ['cubes'], objects: ['3-6'], occlusion: [0], episodes: 4 }));

type Row = Record<string, string>;
let rows: Row[];
let browser: Browser;
let page: Page;

/** Opens a report folder's index.html from disk and waits for the page to be drawn. */
async function openReport(folder: string): Promise<Page> {
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (err) => errors.push(String(err)));
  await p.setViewport({ width: 1200, height: 900 });
  await p.goto(`file://${join(folder, 'report', 'index.html')}`);
  await p.waitForFunction('window.report && window.report.ready === true', { timeout: 20_000 }).catch((err: Error) => {
    throw new Error(`the page did not get ready: ${errors.join('; ') || err.message}`);
  });
  return p;
}

/** Calls `window.report` in the page. */
const report = <T>(p: Page, call: (api: ReportApi) => T | Promise<T>): Promise<T> => p.evaluate(`(${call.toString()})(window.report)`) as Promise<T>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`);
  const swept = sam2grasp(['sweep', specPath, '--out', sweepDir, '--workers', '2']);
  expect(swept.code, swept.stderr).toBe(0);
  const reported = sam2grasp(['report', sweepDir]);
  expect(reported.code, reported.stderr).toBe(0);
  expect(reported.stdout).toMatch(/wrote .*index\.html: 8 episodes, 8 recorded/);
  rows = (await readCsv(join(sweepDir, 'episodes.csv'))).records;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  page = await openReport(sweepDir);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sam2grasp report: the page, in headless Chromium', () => {
  it("shows summary.csv's rates and Wilson intervals in its table", async () => {
    const { records: summary } = await readCsv(join(sweepDir, 'summary.csv'));
    const table = (await page.evaluate("Array.from(document.querySelectorAll('#tables table.results')[0].querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent))")) as string[][];
    const pct = (v: string) => (100 * Number(v)).toFixed(1);
    for (const s of summary) {
      const row = table.find((cells) => cells[0] === s.policy || cells[0] === `${s.policy} (reference)`);
      expect(row?.[1], s.policy).toBe(`${pct(s.rate)} [${pct(s.ci_lo)}, ${pct(s.ci_hi)}]`);
    }
    expect(await page.$eval('#tables', (e) => e.textContent)).toContain('exact McNemar test');
    expect(await page.$$eval('#plot svg .mark-symbol path', (points) => points.length)).toBeGreaterThan(0);
  });

  it('filters the episodes to a failure reason: as many rows as episodes.csv has', async () => {
    const reasons = rows.map((r) => r.failure_reason).filter(Boolean);
    const reason = reasons.sort((a, b) => reasons.filter((x) => x === b).length - reasons.filter((x) => x === a).length)[0];
    expect(reason, 'act should fail some episodes').toBeTruthy();
    await page.select('#filter-reason', reason);
    const expected = rows.filter((r) => r.failure_reason === reason).length;
    expect(await report(page, (r) => r.rows)).toBe(expected);
    expect(await page.$$eval('#episodes tbody tr', (trs) => trs.length)).toBe(expected);
    await page.select('#filter-reason', '*');
    expect(await report(page, (r) => r.rows)).toBe(rows.length);
  });

  it('replays a success in WebGL: the bin is drawn, and at the end the target is lifted', async () => {
    const row = rows.findIndex((r) => r.success_target === '1');
    await page.evaluate(`window.report.openEpisode(${row})`);
    expect(await report(page, (r) => r.replayStatus)).toBe('');
    const canvas = (await page.$('#view-0 canvas'))!;
    const png = PNG.sync.read(Buffer.from(await canvas.screenshot()));
    const region = (await report(page, (r) => r.binRegion(0)))!;
    expect(region.width).toBeGreaterThan(50);
    // Pixels that are neither the clear colour nor the table: the bin's walls and the objects.
    const background = [[0xee, 0xf1, 0xf4], [0xb9, 0xa8, 0x8c]];
    let drawn = 0;
    let total = 0;
    for (let y = Math.max(0, Math.floor(region.y)); y < Math.min(png.height, region.y + region.height); y++) {
      for (let x = Math.max(0, Math.floor(region.x)); x < Math.min(png.width, region.x + region.width); x++) {
        const i = 4 * (y * png.width + x);
        total++;
        if (background.every((c) => Math.abs(png.data[i] - c[0]) + Math.abs(png.data[i + 1] - c[1]) + Math.abs(png.data[i + 2] - c[2]) > 30)) drawn++;
      }
    }
    expect(drawn / total).toBeGreaterThan(0.1);

    const target = Number(rows[row].target);
    const steps = await report(page, (r) => r.steps);
    expect(steps).toBe(Number(rows[row].steps));
    await page.evaluate('window.report.setStep(0)');
    const start = (await page.evaluate(`window.report.replayedPose(${target})`)) as number[];
    await page.evaluate(`window.report.setStep(${steps})`);
    const end = (await page.evaluate(`window.report.replayedPose(${target})`)) as number[];
    expect(end[2] - start[2]).toBeGreaterThanOrEqual(loadTask('cubes').spec.success.liftHeight);
  });

  it('shows the same key under a second policy, at the same step', async () => {
    const row = rows.findIndex((r) => r.policy === 'expert');
    await page.evaluate(`window.report.openEpisode(${row})`);
    await page.evaluate(`window.report.compareWith('act')`);
    await page.evaluate('window.report.setStep(5)');
    expect(await report(page, (r) => r.step)).toBe(5);
    const [expert, act] = (await page.evaluate('[0, 1].map((v) => window.report.replayedPose(0, v))')) as number[][];
    expect(act).not.toBeNull();
    // The same scene: object 0 rests where it was spawned under both policies before either touches it.
    expect(Math.hypot(act[0] - expert[0], act[1] - expert[1])).toBeLessThan(0.005);
    expect(await page.$eval('#view-1 figcaption', (e) => e.textContent)).toMatch(/^act: /);
    if (process.env.SAM2GRASP_SCREENSHOTS === '1') await saveScreenshots();
  });
});

/**
 * docs/images/report.png (the top of the page) and replay.png (the replay section): an expert
 * success beside act on the same key, at the step act closes on nothing.
 */
async function saveScreenshots(): Promise<void> {
  const images = join(ROOT, 'docs', 'images');
  mkdirSync(images, { recursive: true });
  const failure = Math.max(0, rows.findIndex((r) => r.policy === 'act' && r.failure_reason === 'missed'));
  const expert = rows.findIndex((r) => r.policy === 'expert' && r.index === rows[failure].index);
  const motion = decodeMotion(motionRecords(readFileSync(join(sweepDir, 'motion.bin')))[failure]);
  const closing = motion ? motion.gripper.findIndex((g) => g >= CLOSING_COMMAND) + 1 : 0;
  await page.evaluate(`window.report.openEpisode(${expert})`);
  await page.evaluate(`window.report.compareWith('act')`);
  await page.evaluate(`window.report.setStep(${closing})`);
  await (await page.$('#replay'))!.screenshot({ path: join(images, 'replay.png') });
  await page.setViewport({ width: 1200, height: 1500 });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(images, 'report.png') });
}

describe('sam2grasp report: bad and partial input', () => {
  it('refuses a folder that is not a sweep: one line naming it, exit code 2, nothing written', () => {
    const empty = join(dir, 'not-a-sweep');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    const result = sam2grasp(['report', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(empty);
    expect(existsSync(join(empty, 'report'))).toBe(false);
  });

  it('reports an unfinished sweep without recordings: a banner, and replays that say why they are empty', async () => {
    const partial = join(dir, 'partial');
    cpSync(sweepDir, partial, { recursive: true });
    rmSync(join(partial, 'motion.bin'));
    rmSync(join(partial, 'report'), { recursive: true });
    const lines = readFileSync(join(partial, 'episodes.csv'), 'utf8').split('\n');
    writeFileSync(join(partial, 'episodes.csv'), `${lines.slice(0, 6).join('\n')}\n`);
    const result = sam2grasp(['report', partial]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('unfinished: 5 of 8 episodes');
    const p = await openReport(partial);
    expect(await p.$eval('#unfinished', (e) => (e.hidden ? '' : e.textContent))).toMatch(/^unfinished: 5 of 8 episodes/);
    expect(await report(p, (r) => r.rows)).toBe(5);
    await p.evaluate('window.report.openEpisode(0)');
    expect(await report(p, (r) => r.replayStatus)).toMatch(/^no recording/);
    await p.close();
  });
});
