import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpsApiError } from './client.js';
import { buildProgram } from './program.js';

// On the local stack (`npm start`), the operator key lives in .devstack/secrets.json: use it
// unless the environment says otherwise (a deployment sets OPS_URL and OPS_TOKEN instead).
const localSecret = (): string | undefined => {
  if (process.env.OPS_TOKEN || process.env.NODE_ENV === 'production') return undefined;
  const stateDir =
    process.env.STACK_STATE_DIR ?? fileURLToPath(new URL('../../../.devstack', import.meta.url));
  try {
    return JSON.parse(readFileSync(`${stateDir}/secrets.json`, 'utf8')).operatorTokenSecret;
  } catch {
    return undefined;
  }
};

const program = buildProgram({
  out: (line) => process.stdout.write(`${line}\n`),
  env: { OPERATOR_TOKEN_SECRET: localSecret(), ...process.env },
  interactive: Boolean(process.stdout.isTTY),
});
try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { code?: string; exitCode?: number; message: string };
  if (e.code?.startsWith('commander.')) process.exitCode = e.exitCode ?? 1;
  else {
    process.stderr.write(`${err instanceof OpsApiError ? err.message : `error: ${e.message}`}\n`);
    process.exitCode = 1;
  }
}
