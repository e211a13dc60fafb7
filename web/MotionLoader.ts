import type { EpisodeMotion } from '../src/bench/record/EpisodeMotion.js';
import { decodeMotion } from '../src/bench/record/motionCodec.js';
import { motionChunkPath, type MotionChunks } from '../src/bench/report/ReportData.js';

/** What a row's replay has: its motion, or why there is none. */
export type MotionResult = { motion: EpisodeMotion } | { missing: string };

/**
 * Loads motion records on demand: a chunk file (`motion/NNN.js`) is added as a classic <script>
 * the first time one of its rows is asked for (a page opened from disk may not fetch()), and
 * calls back with its records in base64.
 */
export class MotionLoader {
  private readonly chunks = new Map<number, Promise<string[]>>();
  private readonly waiting = new Map<number, (records: string[]) => void>();

  constructor(private readonly index: MotionChunks | null, private readonly units: readonly string[]) {
    window.SAM2GRASP_MOTION = (chunk, records) => this.waiting.get(chunk)?.(records);
  }

  async load(row: number): Promise<MotionResult> {
    if (!this.index) return { missing: 'no recording: this sweep has no motion.bin (it ran with --no-record, or before sweeps recorded motion)' };
    if (row >= this.index.records) return { missing: 'no recording for this episode (motion.bin ends before it)' };
    const chunk = Math.floor(row / this.index.chunkSize);
    const records = await this.chunk(chunk);
    const motion = decodeMotion(fromBase64(records[row % this.index.chunkSize]));
    if (!motion) return { missing: 'no recording for this episode (its worker crashed, or recording was off)' };
    // Records and rows are written side by side; a record that names another row is not this episode's.
    if (motion.unit !== this.units[row]) return { missing: `the recording here is of another episode (${motion.unit})` };
    return { motion };
  }

  private chunk(chunk: number): Promise<string[]> {
    let loading = this.chunks.get(chunk);
    if (!loading) {
      loading = new Promise<string[]>((resolve, reject) => {
        this.waiting.set(chunk, resolve);
        const script = document.createElement('script');
        script.src = motionChunkPath(chunk);
        script.onerror = () => reject(new Error(`cannot load ${script.src}`));
        document.head.append(script);
      });
      this.chunks.set(chunk, loading);
    }
    return loading;
  }
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
