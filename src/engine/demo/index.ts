/** The demo data set: a seeded generator of import-ready CSV files and ready segments for it. */
export { DEFAULT_DEMO_SIZE, generateDataset } from './generate.js';
export type { DatasetCounts, GenerateOptions, GeneratedDataset } from './generate.js';
export { demoSegments } from './segments.js';
export { accountId, contactId, leadId } from './entities.js';
