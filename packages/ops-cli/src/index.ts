export { type MigrationDetail, OpsApiError, OpsClient } from './client.js';
export { buildProgram, type CliIo, duration, formatReport } from './program.js';
