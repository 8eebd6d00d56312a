import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../src/allocator.js';
import { PrerequisiteMissing } from '../src/preflight.js';
import { serviceArgs, serviceEntry } from '../src/processes.js';
import { startStack } from '../src/stack.js';
import { loadStackConfig, SERVICES } from '../src/stack-config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const empty = mkdtempSync(join(tmpdir(), 'rt-built-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('npm start -- --built', () => {
  it('starts each service the way its image does', () => {
    // services/Dockerfile: CMD ["sh", "-c", "exec node $SERVICE_NODE_FLAGS services/$SERVICE/dist/server.js"]
    const dockerfile = readFileSync(join(root, 'services/Dockerfile'), 'utf8');
    const cmd = /^CMD .*exec node \$SERVICE_NODE_FLAGS (\S+)"\]$/m.exec(dockerfile)?.[1];
    expect(cmd).toBe('services/$SERVICE/dist/server.js');
    // With the image's V8 heap settings, which this Node knows.
    const flags = /^ENV SERVICE_NODE_FLAGS="([^"]*)"/m.exec(dockerfile)?.[1];
    expect(flags?.split(' ')).toEqual(SERVICE_NODE_FLAGS);
    expect(execFileSync(process.execPath, [...SERVICE_NODE_FLAGS, '-p', '6*7'], { encoding: 'utf8' })).toBe(
      '42\n',
    );
    for (const { name } of SERVICES) {
      expect(serviceEntry(name, true)).toBe(cmd!.replace('$SERVICE', name));
      // What the local stack runs is the image's command line.
      expect(serviceArgs(name, true)).toEqual([...flags!.split(' '), cmd!.replace('$SERVICE', name)]);
      // From source too: the same heap settings before tsx.
      expect(serviceArgs(name, false).slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
    }
  });

  it('names the missing builds and the command that makes them, before touching anything', async () => {
    const said: string[] = [];
    const started = startStack(loadStackConfig(empty), {
      root: empty,
      echo: false,
      say: (line) => said.push(line),
      built: true,
    });
    await expect(started).rejects.toBeInstanceOf(PrerequisiteMissing);
    await expect(started).rejects.toThrow(/services\/router\/dist\/server\.js.*npm run build/);
    // Refused before the databases are checked or created.
    expect(said).toEqual([]);
  });
});
