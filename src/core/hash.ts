import { createHash } from 'node:crypto';

/** SHA-256 of text or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A short hash of exact float values: their IEEE-754 bits, not their printed form, so two states
 * that differ in the last bit hash differently. Used to pin physics states in CSV rows and tests.
 */
export function hashFloats(values: Float64Array): string {
  return sha256Hex(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).slice(0, 16);
}
