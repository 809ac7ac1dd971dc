/** Public surface of the data library: the ingest pipeline and helpers for stages that read its output. */
export { ingestDataset, type IngestOptions, type IngestOutput } from './ingest.js';
export { loadDataset, toFloat32 } from './load.js';
export { standardize, unstandardize, fitScaler, type Scaler } from './scale.js';
export { parseDatasetSpec, type DatasetSpec } from './spec.js';
export { downloadSettingsFromEnv } from './source.js';
