/**
 * Where a tracker loses IoU within an episode: a maintainer's diagnostic for training trackers.
 * The scripted expert drives by default (its approach, descent under the hand and lift are the
 * same for every tracker), a tracker follows its target from the detector's prompt as
 * `TrackingProbe` does, and
 * the mask's IoU with the target's true pixels (`maskIou`) is averaged per band of control steps,
 * raw and with the robot's own hand taken out (`withoutOwnHand`, as the heads see it), with what
 * the IoU loses: the share of the target's pixels the mask misses, and the shares of the mask that
 * lie on other objects and elsewhere (hand, bin, floor). Speed and success are measured elsewhere;
 * this reads the ground truth and is never a policy.
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
import { isSceneObjectId, objectSegmentId, type Frame } from '../src/render/index.js';

/** Control steps per band of the table. */
const BAND = 5;

interface Score extends Breakdown {
  t: number;
  iou: number;
  iouHandOff: number;
}

/** Where a mask's pixels lie against the true ones: what an IoU below 1 is made of. */
interface Breakdown {
  missed: number;
  onOthers: number;
  elsewhere: number;
}

function breakdown(mask: Uint8Array, truth: Frame, id: number): Breakdown {
  let target = 0, covered = 0, onOthers = 0, elsewhere = 0, inMask = 0;
  for (let i = 0; i < mask.length; i++) {
    const seg = truth.ids[i];
    if (seg === id) target++;
    if (!mask[i]) continue;
    inMask++;
    if (seg === id) covered++;
    else if (isSceneObjectId(seg)) onOthers++;
    else elsewhere++;
  }
  const share = (n: number, of: number) => (of ? n / of : 0);
  return { missed: 1 - share(covered, target), onOthers: share(onOthers, inMask), elsewhere: share(elsewhere, inMask) };
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
        const iouHandOff = maskIou(withoutOwnHand(mask, frame, observation.cameras.scene, hand), truth, targetId)!;
        scores.push({ t: observation.t, iou, iouHandOff, ...breakdown(mask, truth, targetId) });
      },
    });
  }
  printTable(scores, `${taskName} ${objects}, ${episodes} keys from ${firstKey}, tracker ${trackerRef}, driven by ${driverRef}`);
}

function printTable(scores: Score[], title: string): void {
  const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
  const row = (label: string, band: Score[]) =>
    console.log(`${label.padEnd(10)}${String(band.length).padEnd(8)}${[
      mean(band.map((s) => s.iou)), mean(band.map((s) => s.iouHandOff)), mean(band.map((s) => s.missed)),
      mean(band.map((s) => s.onOthers)), mean(band.map((s) => s.elsewhere)),
    ].map((x) => x.padEnd(9)).join('')}`);
  console.log(title);
  console.log('steps     frames  IoU      no hand  missed   others   elsewhere');
  console.log('(IoU without the hand in the mask; the share of target pixels missed; shares of the mask on other objects and elsewhere)');
  const last = Math.max(...scores.map((s) => s.t));
  for (let from = 0; from <= last; from += BAND) {
    const band = scores.filter((s) => s.t >= from && s.t < from + BAND);
    if (band.length) row(`${from}-${from + BAND - 1}`, band);
  }
  row('all', scores);
}

await main();
