export { ObjectDescSchema, ShapeDescSchema, type ObjectDesc, type ShapeDesc } from './ObjectDesc.js';
export { TaskSpecSchema, MAX_OBJECTS, MAX_RESOLUTION, taskObjectCount, type TaskSpec, type PusherSpec } from './TaskSpec.js';
export { readJsonFile, parseSpec } from './parseSpec.js';
export { loadTaskSpec } from './loadTaskSpec.js';
export { EncoderManifestSchema, loadEncoderManifest, type EncoderManifest } from './EncoderManifest.js';
export { Sam2ManifestSchema, loadSam2Manifest, type Sam2Manifest, type Sam2Module } from './Sam2Manifest.js';
export { PolicyManifestSchema, loadPolicyManifest, PROPRIO_FIELDS, ACTION_FIELDS, OBSERVATION_ROLES, PROMPT_ROLES, type ObservationRole, type PolicyManifest, type PolicyTensor } from './PolicyManifest.js';
export { SweepSpecSchema, loadSweepSpec, type SweepSpec } from './SweepSpec.js';
