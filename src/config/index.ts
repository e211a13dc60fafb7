export { ObjectDescSchema, ShapeDescSchema, type ObjectDesc, type ShapeDesc } from './ObjectDesc.js';
export { TaskSpecSchema, MAX_OBJECTS, MAX_RESOLUTION, taskObjectCount, type TaskSpec } from './TaskSpec.js';
export { readJsonFile, parseSpec } from './parseSpec.js';
export { loadTaskSpec } from './loadTaskSpec.js';
