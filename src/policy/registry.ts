import { InputError } from '../core/index.js';
import type { Policy } from './Policy.js';
import { ScriptedExpert } from './expert/ScriptedExpert.js';

/** Policies by name. Learned policies join this list as they are trained and shipped. */
const POLICIES: Record<string, () => Policy> = {
  expert: () => new ScriptedExpert(),
};

export const POLICY_NAMES: readonly string[] = Object.keys(POLICIES);

/** Makes the named policy; an unknown name is the user's error, reported against `where`. */
export function createPolicy(name: string, where = '--policy'): Policy {
  const make = POLICIES[name];
  if (!make) throw new InputError(where, `unknown policy "${name}" (known: ${POLICY_NAMES.join(', ')})`);
  return make();
}
