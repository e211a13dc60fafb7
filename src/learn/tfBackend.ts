import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/**
 * TensorFlow.js on its WebAssembly backend (tfjs-node cannot install here; the pure-JS backend is
 * about five times slower), on one thread so that reductions run in a fixed order and the same
 * seed gives the same weights.
 */
export function initTensorflow(): Promise<void> {
  ready ??= (async () => {
    setThreadsCount(1);
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return ready;
}
