/**
 * What `report/data.js` hands the report page, as the global `SAM2GRASP_REPORT`: plain JSON that
 * `writeHtmlReport` builds and the page (web/) reads. Type-only and free of node imports, so the
 * page's bundle and its type check can share it.
 */
export interface ReportData {
  /** The sweep's id and description (sweep.json). */
  id: string;
  description: string;
  /** Rows in episodes.csv, and the rows the sweep (or its shard) plans: fewer means unfinished. */
  episodes: { done: number; planned: number };
  /** The Markdown tables of table.md (same generator, same captions), as HTML. */
  tablesHtml: string;
  /** The plot of plot.svg with tooltips, compiled from Vega-Lite to Vega (the page bundles only Vega). */
  plot: unknown;
  /** episodes.csv's columns, and every row's values in that order (rows in file order). */
  columns: string[];
  rows: string[][];
  /** Each row's unit id (`Cell.ts`'s `unitId`): a motion record names the row it belongs to. */
  units: string[];
  /** Replay geometry of each task, by task id. */
  tasks: Record<string, TaskLook>;
  /** Shape and colour of every object the tasks can spawn, by catalog name. */
  objects: Record<string, ObjectLook>;
  /**
   * The gripper command at which an episode counts as closing (the env's `CLOSING_COMMAND`): the
   * rows' closing point and averaging diagnostic are taken after the first step that reaches it.
   */
  closingCommand: number;
  /** Where the motion records are, or null when the sweep recorded none (`--no-record`). */
  motion: MotionChunks | null;
  /** Things the reader should know about this report (a task file not found, say). */
  notes: string[];
}

/** A box of the hand: half extents, and its centre in its body's frame (metres). */
export interface BoxLook {
  halfExtents: readonly [number, number, number];
  offset: readonly [number, number, number];
}

/** What the page needs to draw a task's fixed parts and hand, and to judge a lift. */
export interface TaskLook {
  bin: { inner: readonly [number, number]; wallHeight: number; wallThickness: number };
  /** The palm in the palm body's frame; the fingers (palm's -x side first) in their own. */
  gripper: { palm: BoxLook; fingers: readonly [BoxLook, BoxLook] };
  /** The pusher paddle's half extents (centred on its body), when the task has a pusher. */
  pusher: readonly [number, number, number] | null;
  /** The scene camera: the replay starts from the policy's own view. */
  camera: { position: readonly [number, number, number]; lookAt: readonly [number, number, number]; fov: number };
  controlHz: number;
  /** Height above rest that counts as lifted (the task's `success.liftHeight`), metres. */
  liftHeight: number;
}

/**
 * An object as the renderer draws it: a box of its size, or the convex hull of its support points
 * (flat x, y, z), as `SceneMirror.geometryFor` builds it.
 */
export type ObjectLook = { kind: string; colour: string } & ({ box: readonly [number, number, number] } | { hull: number[] });

/**
 * motion.bin split into script files `motion/NNN.js` of `chunkSize` records each (base64 of the
 * length-prefixed records `motionCodec.ts` reads); record r belongs to row r.
 */
export interface MotionChunks {
  chunkSize: number;
  chunks: number;
  /** Records in the file; rows past it have no recording. */
  records: number;
}

/** The global a motion chunk file calls: `SAM2GRASP_MOTION(chunk, [base64, ...])`. */
export const MOTION_CALLBACK = 'SAM2GRASP_MOTION';

/** The global data.js assigns. */
export const DATA_GLOBAL = 'SAM2GRASP_REPORT';

/** `motion/007.js`: the file of motion chunk 7, relative to the report folder. */
export function motionChunkPath(chunk: number): string {
  return `motion/${String(chunk).padStart(3, '0')}.js`;
}
