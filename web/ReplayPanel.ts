import type { EpisodeMotion } from '../src/bench/record/EpisodeMotion.js';
import type { ReportData } from '../src/bench/report/ReportData.js';
import { closingMarks } from './closingMarks.js';
import type { MotionLoader } from './MotionLoader.js';
import { ReplayScene } from './ReplayScene.js';
import { ReplayView } from './ReplayView.js';
import type { Rows } from './Rows.js';

const VIEW_SIZE = { width: 520, height: 420 };

/** What one view shows: a row, and its scene or the reason it has none. */
interface Slot {
  row: number;
  scene: ReplayScene | null;
  status: string;
}

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document) => root.querySelector(selector) as T;
const cm = (metres: number) => (Number.isNaN(metres) ? '–' : `${(100 * metres).toFixed(1)} cm`);

/**
 * The replay section: an episode in 3-D beside the same key under a second policy, one step
 * slider and one play button driving both (each view holds at its own last frame once its
 * episode has ended).
 */
export class ReplayPanel {
  private readonly section = $<HTMLElement>('#replay');
  private readonly slider = $<HTMLInputElement>('#step');
  private readonly compare = $<HTMLSelectElement>('#compare');
  private readonly playButton = $<HTMLButtonElement>('#play');
  private readonly views: ReplayView[];
  private readonly slots: (Slot | null)[] = [null, null];
  private timer: number | undefined;
  step = 0;

  constructor(private readonly data: ReportData, private readonly rows: Rows, private readonly loader: MotionLoader) {
    this.views = [0, 1].map((v) => new ReplayView($(`#view-${v} .canvas`), VIEW_SIZE.width, VIEW_SIZE.height));
    this.compare.append(new Option('(none)', ''), ...rows.policies.map((p) => new Option(p, p)));
    this.compare.addEventListener('change', () => void this.compareWith(this.compare.value));
    this.slider.addEventListener('input', () => this.setStep(Number(this.slider.value)));
    this.playButton.addEventListener('click', () => (this.timer === undefined ? this.play() : this.pause()));
  }

  /** The opened episode's last step. */
  get steps(): number {
    return this.slots[0]?.scene?.motion.steps ?? 0;
  }

  get status(): string {
    return this.slots[0]?.status ?? 'no episode opened';
  }

  async open(row: number): Promise<void> {
    this.pause();
    this.section.hidden = false;
    this.slots[0]?.scene?.dispose();
    this.slots[0] = await this.load(row);
    const policy = this.rows.value(row, 'policy');
    // The second view shows another policy on this key: the one picked before, else the sweep's first other one.
    if (!this.compare.value || this.compare.value === policy) this.compare.value = this.rows.policies.find((p) => p !== policy) ?? '';
    await this.compareWith(this.compare.value);
    $('#replay-title').textContent = `${this.rows.cellLabel(row)}, key ${this.rows.value(row, 'index')}`;
    this.setStep(0);
  }

  async compareWith(policy: string): Promise<void> {
    this.compare.value = policy;
    const first = this.slots[0];
    const paired = first && policy ? this.rows.pairedRow(first.row, policy) : undefined;
    this.slots[1]?.scene?.dispose();
    this.slots[1] = paired === undefined ? (policy && first ? { row: -1, scene: null, status: `${policy} did not run this key` } : null) : await this.load(paired);
    this.setStep(this.step);
  }

  setStep(t: number): void {
    const last = Math.max(0, ...this.slots.map((s) => s?.scene?.motion.steps ?? 0));
    this.step = Math.max(0, Math.min(last, Math.round(t)));
    this.slider.max = String(last);
    this.slider.value = String(this.step);
    $('#step-label').textContent = `step ${this.step} of ${last}`;
    this.slots.forEach((slot, v) => this.draw(v, slot));
  }

  /** The pose of a body as view v draws it now. */
  pose(body: number, view: number): number[] | null {
    const scene = this.slots[view]?.scene;
    return scene && body < scene.motion.bodies ? scene.pose(body) : null;
  }

  binRegion(view: number) {
    return this.views[view].binRegion();
  }

  private async load(row: number): Promise<Slot> {
    const loaded = await this.loader.load(row);
    if ('missing' in loaded) return { row, scene: null, status: loaded.missing };
    const task = this.data.tasks[this.rows.value(row, 'task')];
    if (!task) return { row, scene: null, status: `no geometry for task "${this.rows.value(row, 'task')}"` };
    const marks = closingMarks(loaded.motion, this.data.closingCommand);
    return { row, scene: new ReplayScene(loaded.motion, task, this.data.objects, marks), status: '' };
  }

  private draw(v: number, slot: Slot | null): void {
    const figure = $<HTMLElement>(`#view-${v}`);
    figure.hidden = !slot;
    if (!slot) return;
    const scene = slot.scene;
    scene?.setFrame(this.step);
    if (this.views[v].scene !== scene) this.views[v].show(scene, scene ? this.data.tasks[this.rows.value(slot.row, 'task')] : null);
    else this.views[v].render();
    $('.status', figure).textContent = slot.status;
    $('figcaption', figure).textContent = slot.row >= 0 ? `${this.rows.value(slot.row, 'policy')}: ${this.rows.outcome(slot.row)}` : this.compare.value;
    $('.info', figure).textContent = slot.row >= 0 ? this.info(slot.row, scene?.motion ?? null, scene?.frame ?? 0) : '';
  }

  /** The row's main facts, and at the frame shown the hand's command and the tracker's box. */
  private info(row: number, motion: EpisodeMotion | null, frame: number): string {
    const r = (c: string) => this.rows.value(row, c);
    const lines = [
      `row ${row + 1} · target ${r('target_name')} (body ${r('target')}, of ${r('n_objects')} objects) · ${r('steps')} steps`,
      `closing point: ${cm(this.rows.number(row, 'closing_to_nearest_m'))} from the nearest object, ${cm(this.rows.number(row, 'closing_to_centroid_m'))} from the centroid · grasp error ${cm(this.rows.number(row, 'grasp_error_m'))}`,
    ];
    // The last frame is the state after the last step: no command was chosen on it.
    if (motion && frame === motion.steps) lines.push(`step ${frame}: the end of the episode`);
    else if (motion) {
      const command = motion.gripper[frame];
      lines.push(`step ${frame}: gripper command ${Number.isNaN(command) ? '–' : command.toFixed(2)}`);
      if (motion.boxes) {
        const box = Array.from(motion.boxes.subarray(4 * frame, 4 * frame + 4));
        lines.push(box.some(Number.isNaN) ? 'tracker box: none' : `tracker box: (${box[0]}, ${box[1]}) – (${box[2]}, ${box[3]}) px in the scene camera`);
      }
    }
    return lines.join('\n');
  }

  play(): void {
    if (!this.slots[0]?.scene) return;
    if (this.step >= Number(this.slider.max)) this.setStep(0);
    const hz = this.data.tasks[this.rows.value(this.slots[0].row, 'task')]?.controlHz ?? 10;
    this.playButton.textContent = 'pause';
    this.timer = window.setInterval(() => {
      if (this.step >= Number(this.slider.max)) this.pause();
      else this.setStep(this.step + 1);
    }, 1000 / hz);
  }

  pause(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.textContent = 'play';
  }
}
