import ort from 'onnxruntime-node';
import { InputError } from '../core/index.js';

/** One thread and sequential execution: the same input gives the same bits. */
export const DETERMINISTIC_SESSION: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

/** Opens an ONNX model; a file that is not a loadable ONNX model is the user's error, in one line naming it. */
export async function openSession(file: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(file, DETERMINISTIC_SESSION);
  } catch (err) {
    throw new InputError(file, `not a loadable ONNX model (${String((err as Error).message ?? err).split('\n')[0]})`);
  }
}
