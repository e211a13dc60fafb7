/** Temporary driver (replaced by `sam2grasp train-perception`). */
import { loadTask } from '../../src/bench/index.js';
import { collectTrackerFrames } from '../../src/learn/collectTrackerFrames.js';
const [episodes, out] = [Number(process.argv[2] ?? 20), process.argv[3] ?? 'results/tracker-data'];
const started = Date.now();
await collectTrackerFrames({
  tasks: [{ task: loadTask('cubes'), share: 0.5 }, { task: loadTask('pile'), share: 0.25 }, { task: loadTask('packed'), share: 0.25 }],
  episodes, outDir: out, onEpisode: (d, n) => { if (d % 50 === 0) console.log(`${d}/${n} ${((Date.now() - started) / 1000).toFixed(0)} s`); },
});
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
