export { type MigrationDetail, OpsApiError, OpsClient } from './client.js';
export { buildProgram, type CliIo, formatReport } from './program.js';
