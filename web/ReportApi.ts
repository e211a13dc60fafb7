/**
 * `window.report`: the page's state and controls, small on purpose, for tests and the console.
 * Row numbers are episodes.csv's rows, 0-based; views are 0 (the opened episode) and 1 (the same
 * key under the policy picked beside it).
 */
export interface ReportApi {
  /** True once the tables, the plot and the episode list are drawn. */
  readonly ready: boolean;
  /** Episodes the current filter matches. */
  readonly rows: number;
  /** Opens an episode's replay (and its pair, if a second policy is picked); resolves when drawn. */
  openEpisode(row: number): Promise<void>;
  /** Picks the policy of the second view ('' for none); resolves when drawn. */
  compareWith(policy: string): Promise<void>;
  /** Shows control step t (clamped to each episode's length) in both views. */
  setStep(t: number): void;
  /** The step shown, and the opened episode's last step (its frames are 0 .. steps). */
  readonly step: number;
  readonly steps: number;
  /** Why the replay shows nothing ('no recording', ...), or '' while it shows an episode. */
  readonly replayStatus: string;
  /** Body `body`'s drawn pose in a view, [x, y, z, qx, qy, qz, qw] (bodies as motion.bin orders them), or null. */
  replayedPose(body: number, view?: number): number[] | null;
  /** Where the bin's top rim lies on a view's canvas, CSS pixels from the canvas's top left corner. */
  binRegion(view?: number): { x: number; y: number; width: number; height: number } | null;
}
