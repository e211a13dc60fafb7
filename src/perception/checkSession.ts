import type ort from 'onnxruntime-node';
import { InputError } from '../core/index.js';
import type { OnnxSession } from './OnnxSession.js';

export interface TensorSpec {
  name: string;
  shape: readonly (number | string)[];
}

/**
 * Checks that a loaded ONNX model has the named inputs and outputs, with the shapes a manifest
 * promises (symbolic dimensions in the model match anything). One line lists expected against found.
 */
export function checkSession(session: OnnxSession, file: string, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[]): void {
  const problems: string[] = [];
  const compare = (kind: string, expected: readonly TensorSpec[], found: readonly ort.InferenceSession.ValueMetadata[]) => {
    for (const spec of expected) {
      const meta = found.find((m) => m.name === spec.name);
      if (!meta) {
        problems.push(`${kind} "${spec.name}" missing (found ${found.map((m) => m.name).join(', ') || 'none'})`);
        continue;
      }
      const shape = meta.isTensor ? meta.shape : [];
      const fits = shape.length === spec.shape.length && shape.every((d, i) => typeof d === 'string' || typeof spec.shape[i] === 'string' || d === spec.shape[i]);
      if (!fits) problems.push(`${kind} "${spec.name}" has shape [${shape.join(', ')}], expected [${spec.shape.join(', ')}]`);
    }
  };
  compare('input', inputs, session.inputMetadata);
  compare('output', outputs, session.outputMetadata);
  if (problems.length) throw new InputError(file, problems.join('; '));
}
