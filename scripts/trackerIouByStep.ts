/**
 * Where a tracker loses IoU within an episode: a maintainer's diagnostic for training trackers.
 * The scripted expert drives by default (its approach, descent under the hand and lift are the
 * same for every tracker), a tracker follows its target from the detector's prompt as
 * `TrackingProbe` does, and
 * the mask's IoU with the target's true pixels (`maskIou`) is averaged per band of control steps,
 * raw and with the robot's own hand taken out (`withoutOwnHand`, as the heads see it). Speed and
 * success are measured elsewhere; this reads the ground truth and is never a policy.
 *
 *     node dist/scripts/trackerIouByStep.js TASK OBJECTS EPISODES TRACKER [FIRST_KEY] [DRIVER]
 *     node dist/scripts/trackerIouByStep.js cubes 3-6 40 learned
 *
 * DRIVER (default `expert`) names another policy to drive, itself running on TRACKER: a tracker
 * must also hold the object along a learned head's path, which hovers and turns where the expert
 * does not.
 */
import { detectPrompt, learnedTrackerManifest, maskIou, policyFor, runEpisode } from '../src/bench/index.js';
import { parseObjectCount, policyRng } from '../src/core/index.js';
import { GraspEnv, handBoxesAt, loadTask } from '../src/env/index.js';
import { loadPerception, parseTrackerChoice, withoutOwnHand, type PromptableTracker } from '../src/perception/index.js';
import { objectSegmentId } from '../src/render/index.js';

/** Control steps per band of the table. */
const BAND = 5;

interface Score {
  t: number;
  iou: number;
  iouHandOff: number;
}

async function main(): Promise<void> {
  const [taskName = 'cubes', objects = '3-6', episodes = '40', trackerRef = 'learned', firstKey = '0', driverRef = 'expert'] = process.argv.slice(2);
  const count = parseObjectCount(objects);
  if (!count) throw new Error(`OBJECTS: expected K or A-B, got "${objects}"`);
  const task = loadTask(taskName);
  const env = await GraspEnv.create(task);
  const choice = parseTrackerChoice(trackerRef);
  const perception = await loadPerception(choice, task.spec, learnedTrackerManifest());
  const driver = await policyFor(driverRef, task, choice);
  const scores: Score[] = [];
  for (let index = Number(firstKey); index < Number(firstKey) + Number(episodes); index++) {
    const key = { task: task.spec.id, objects: count, occlusion: 0, index };
    let tracker: PromptableTracker | null = null;
    let targetId = 0;
    await runEpisode(env, driver, key, {
      async onReset(observation, info, k) {
        targetId = objectSegmentId(info.target);
        const prompt = detectPrompt(env, k, info);
        if (!prompt) return;
        tracker = await perception.tracker(policyRng(k).stream('tracker'), () => env.trueFrames().scene);
        await tracker.init(observation.frames.scene, prompt);
      },
      async onStep(observation) {
        if (observation.t === 0 || !tracker) return;
        const frame = observation.frames.scene;
        const { mask } = await tracker.track(frame);
        const truth = env.trueFrames().scene;
        const iou = maskIou(mask, truth, targetId);
        if (iou === null) return;
        const hand = handBoxesAt(observation.proprio.palm, observation.proprio.opening, task.spec.gripper.maxOpening);
        scores.push({ t: observation.t, iou, iouHandOff: maskIou(withoutOwnHand(mask, frame, observation.cameras.scene, hand), truth, targetId)! });
      },
    });
  }
  printTable(scores, `${taskName} ${objects}, ${episodes} keys from ${firstKey}, tracker ${trackerRef}, driven by ${driverRef}`);
}

function printTable(scores: Score[], title: string): void {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(title);
  console.log('steps     frames  IoU    IoU without the hand');
  const last = Math.max(...scores.map((s) => s.t));
  for (let from = 0; from <= last; from += BAND) {
    const band = scores.filter((s) => s.t >= from && s.t < from + BAND);
    if (band.length) console.log(`${`${from}-${from + BAND - 1}`.padEnd(10)}${String(band.length).padEnd(8)}${mean(band.map((s) => s.iou)).toFixed(3)}  ${mean(band.map((s) => s.iouHandOff)).toFixed(3)}`);
  }
  console.log(`${'all'.padEnd(10)}${String(scores.length).padEnd(8)}${mean(scores.map((s) => s.iou)).toFixed(3)}  ${mean(scores.map((s) => s.iouHandOff)).toFixed(3)}`);
}

await main();
