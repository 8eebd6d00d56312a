/**
 * @rt/ops-console — the operator console (static page served at `/ops/console`), the audit-log
 * route for the ops API, and a fake ops API used by the console's browser test.
 */
export { type OpsConsoleOptions, opsConsolePlugin } from './console-plugin.js';
export {
  FAKE_OPERATOR_ROLES,
  type FakeOperatorRole,
  type FakeOpsApiOptions,
  fakeOpsApi,
  mintFakeOperatorToken,
} from './fake-ops-api.js';
