import { OpsApiError } from './client.js';
import { buildProgram } from './program.js';

const program = buildProgram({
  out: (line) => process.stdout.write(`${line}\n`),
  env: process.env,
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
