import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { InputError } from '../core/index.js';
import { BatchingSession } from './BatchingSession.js';
import { plainSession, type OnnxSession } from './OnnxSession.js';

/** One thread and sequential execution: the same input gives the same bits. */
export const DETERMINISTIC_SESSION: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

/** This thread's models by file, when episodes are stepped together: one session each, shared, so their calls batch. */
let shared: Map<string, Promise<OnnxSession>> | null = null;

/**
 * Episodes stepped together in this thread (`--batch` > 1) share every model they open, as a
 * BatchingSession; alone (1, the default), each load opens its own plain session.
 */
export function shareSessions(episodesTogether: number): void {
  shared = episodesTogether > 1 ? (shared ?? new Map()) : null;
}

/** Opens an ONNX model; a file that is not a loadable ONNX model is the user's error, in one line naming it. */
export async function openSession(file: string): Promise<OnnxSession> {
  if (!shared) return plainSession(await openPlain(file));
  let session = shared.get(file);
  if (!session) {
    session = openPlain(file).then((single) => new BatchingSession(single, readFileSync(file), DETERMINISTIC_SESSION));
    shared.set(file, session);
    session.catch(() => shared?.delete(file));
  }
  return session;
}

async function openPlain(file: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(file, DETERMINISTIC_SESSION);
  } catch (err) {
    throw new InputError(file, `not a loadable ONNX model (${String((err as Error).message ?? err).split('\n')[0]})`);
  }
}
