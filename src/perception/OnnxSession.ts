import type ort from 'onnxruntime-node';

/** Named tensors, in or out of a model. */
export type Tensors = Record<string, ort.Tensor>;

/**
 * What the harness asks of an ONNX session: its tensors' metadata, and `run`, for every output
 * or only the named ones (ONNX Runtime then computes only the nodes they need).
 */
export type OnnxSession = Pick<ort.InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'> & {
  run(feeds: Tensors, outputs?: readonly string[]): Promise<Tensors>;
};

/** Runs a session for every output, or only the named ones. */
export function runFor(session: ort.InferenceSession, feeds: Tensors, outputs: readonly string[] | undefined): Promise<Tensors> {
  return outputs ? session.run(feeds, [...outputs]) : session.run(feeds);
}

/** A loaded model as the harness asks for it, run alone. */
export function plainSession(session: ort.InferenceSession): OnnxSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
    run: (feeds, outputs) => runFor(session, feeds, outputs),
  };
}
