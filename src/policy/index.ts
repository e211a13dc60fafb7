export type { Policy, PolicyContext, RobotInfo } from './Policy.js';
export { ScriptedExpert } from './expert/ScriptedExpert.js';
export { planGrasp, type GraspPlan } from './expert/planGrasp.js';
export { createPolicy, POLICY_NAMES } from './registry.js';
