import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * Runs before `npm test`: makes sure the two machine tools the suite drives exist — Debian's
 * Chromium (console browser tests, through playwright-core; a test tool may not download a browser
 * build of its own here) and docker-compose (the compose file is validated with
 * `docker-compose config`). When one is missing and this is a Debian machine where we are root
 * (a fresh CI or developer machine of this kind), they are installed from Debian's packages; anywhere
 * else the script says exactly what to install and fails — a missing browser never silently skips
 * the browser tests.
 */

/** A tool the test suite needs, and the Debian package that provides it. */
interface Tool {
  name: string;
  /** Absolute path, or a command looked up on PATH. */
  command: string;
  debianPackage: string;
  why: string;
}

const TOOLS: Tool[] = [
  {
    name: 'Chromium',
    command: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    debianPackage: 'chromium',
    why: 'the operator console browser tests (playwright-core drives Debian Chromium)',
  },
  {
    name: 'docker-compose',
    command: 'docker-compose',
    debianPackage: 'docker-compose',
    why: 'validating docker-compose.yml (`docker-compose config -q`)',
  },
];

const say = (line: string) => process.stdout.write(`${line}\n`);

const present = (command: string): boolean => {
  if (command.includes('/')) {
    try {
      accessSync(command, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
};

const canInstallWithApt = (): boolean =>
  process.platform === 'linux' && process.getuid?.() === 0 && present('apt-get');

const missing = TOOLS.filter((t) => !present(t.command));
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((t) => t.debianPackage))];
for (const t of missing) say(`test prerequisite missing: ${t.name} (${t.command}), needed for ${t.why}`);

if (!canInstallWithApt()) {
  say(
    `\nInstall it, then run the tests again:\n  sudo apt-get install --no-install-recommends ${packages.join(' ')}\n` +
      'or set CHROMIUM_PATH to another Chromium binary.',
  );
  process.exit(1);
}

say(`installing from Debian's packages: ${packages.join(' ')} (once per machine) …`);
const apt = (args: string[]) =>
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
try {
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
} catch (err) {
  say(`apt-get failed: ${(err as Error).message}`);
  process.exit(1);
}
const still = missing.filter((t) => !present(t.command));
if (still.length > 0) {
  say(`still missing after install: ${still.map((t) => t.command).join(', ')}`);
  process.exit(1);
}
say('test prerequisites installed.');
