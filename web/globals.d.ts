import type { ReportData } from '../src/bench/report/ReportData.js';
import type { ReportApi } from './ReportApi.js';

declare global {
  interface Window {
    /** Assigned by data.js, before the bundle runs. */
    SAM2GRASP_REPORT?: ReportData;
    /** Called by each motion chunk file: `motion/NNN.js`. */
    SAM2GRASP_MOTION?: (chunk: number, records: string[]) => void;
    /** The page's state and controls, for tests and the console (see ReportApi.ts). */
    report?: ReportApi;
  }
}
