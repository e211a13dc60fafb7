export { groundTruthOf, robotInfoOf, type GroundTruth, type Policy, type PolicyContext, type RobotInfo } from './Policy.js';
export { ScriptedExpert } from './expert/ScriptedExpert.js';
export { planGrasp, type GraspPlan } from './expert/planGrasp.js';
export { createPolicy, loadOnnxPolicy, policyManifest, policyNames, registerPolicy, LEARNED_POLICIES, PAPER_POLICIES, DIFFUSION_POLICIES, CUBE_ONLY_POLICIES, type PolicyFactory, type PolicyOptions, type RegisteredPolicy } from './registry.js';
export { TemporalEnsembler } from './TemporalEnsembler.js';
export { EnsembledPolicy, type ExecutionOptions } from './EnsembledPolicy.js';
export { OnnxChunkPolicy } from './onnx/OnnxChunkPolicy.js';
export { NoiseSchedule, type DiffusionPrediction } from './onnx/NoiseSchedule.js';
