import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoConfluence } from '@rt/confluence/fake';
import { demoContextToken, demoSharedSecret, seedDemoTenant } from './demo.js';
import { startLocalForgeSigner } from './forge-signer.js';
import { PrerequisiteMissing } from './preflight.js';
import { startStack } from './stack.js';
import { loadStackConfig, routerUrl, SERVICES, serviceUrl } from './stack-config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    built: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm start [-- --demo] [-- --verbose] [-- --built]

Starts the two-region stack locally: databases on the local PostgreSQL, Redis, an embedded S3
server, and per region the router plus layout, theme, asset, residency-migration and worker.
  --demo      install a demo tenant and print a token to try the API with
  --verbose   stream every service's log to the console (otherwise: .devstack/logs/)
  --built     build, then run the services' production builds (node services/*/dist/server.js,
              as the images do, with the local stack's settings) instead of their TypeScript sources
Environment: EU_ROUTER_PORT (8080), US_ROUTER_PORT (8090), S3_PORT (9000), DATABASE_ADMIN_URL,
REDIS_URL, APP_BASE_URL, CONNECT_INSTALL_KEYS_URL, CONNECT_INSTALL_KEYS_STAGING_URL (default: the
former), FORGE_JWKS_URL, FORGE_APP_ID, FORGE_ENVIRONMENT_TYPE, FORGE_ENVIRONMENT_ID (without
FORGE_JWKS_URL a local FIT signer runs on FORGE_SIGNER_PORT, 8071), REGION_<EU|US>_BASE_URL,
STACK_ALLOCATOR (jemalloc, the default where Debian's libjemalloc2 is installed, or glibc),
LOG_LEVEL.
`);
  process.exit(0);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const config = loadStackConfig(root);
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let stopping = false;

const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  say('\nstopping the stack …');
  await stack?.stop();
  say('stopped.');
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

// --built runs what the images run: built first, so a source edit or a pull is never served
// stale (turbo's cache makes this a few seconds when nothing changed).
if (values.built) {
  say('building the services (turbo run build) …');
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    say('\nthe build failed (see above); nothing was started.');
    process.exit(1);
  }
}

// Forge Invocation Tokens: Atlassian's JWKS when FORGE_JWKS_URL is set, else a local signer.
const forgeSigner = config.forge.jwksUrl ? undefined : await startLocalForgeSigner(config);
try {
  stack = await startStack(config, { root, echo: values.verbose, say, built: values.built });
} catch (err) {
  if (err instanceof PrerequisiteMissing) say(`\n${err.message}`);
  else say(`\nthe stack failed to start: ${(err as Error).message}`);
  await forgeSigner?.close();
  process.exit(1);
}
if (forgeSigner) stack.onStop(() => forgeSigner.close());

for (const p of stack.processes) {
  void p.exited.then((code) => {
    if (!stopping) {
      say(`${p.label} exited unexpectedly (code ${code}); see ${config.stateDir}/logs/${p.label}.log`);
      void shutdown(1);
    }
  });
}

say('\nRefined Toolkit — local two-region stack is up\n');
for (const region of config.regions) {
  say(`  ${region.id} router   ${routerUrl(config, region)}`);
  for (const s of SERVICES.filter((s) => s.name !== 'router')) {
    say(`     ${s.name.padEnd(20)} ${serviceUrl(config, region, s.name)}  (internal)`);
  }
}
say(`  S3 (embedded)     ${stack.s3Endpoint}`);
say(`  descriptor        ${config.appBaseUrl}/atlassian-connect.json`);
if (forgeSigner) {
  say(`  Forge FIT signer  ${forgeSigner.url} (app ${config.forge.appId}, ${config.forge.environmentType})`);
  say(
    `     mint a FIT     curl -d '{"installationId":"…","cloudId":"…","accountId":"…"}' ${forgeSigner.url}/fit`,
  );
} else {
  say(`  Forge JWKS        ${config.forge.jwksUrl}`);
}
say(`  logs              ${config.stateDir}/logs/`);

if (values.demo) {
  // The demo tenant's permissions come from a local fake Confluence (a site admin, a space admin
  // of space DEMO and a plain user), unless DEMO_CONFLUENCE_URL points the demo at a real site.
  let confluenceUrl = process.env.DEMO_CONFLUENCE_URL;
  if (!confluenceUrl) {
    const fake = await startDemoConfluence({
      appKey: process.env.APP_KEY ?? 'com.refined.toolkit',
      sharedSecret: demoSharedSecret(config),
      port: Number(process.env.DEMO_CONFLUENCE_PORT ?? 8070),
    });
    stack.onStop(() => fake.close());
    confluenceUrl = fake.baseUrl;
  }
  const tenant = await seedDemoTenant(config, confluenceUrl);
  say(`\n  demo tenant       ${tenant.clientKey} (home ${tenant.homeRegion}), Confluence ${confluenceUrl}`);
  for (const user of ['demo-admin', 'demo-space-admin', 'demo-user']) {
    say(`  token ${user.padEnd(17)} ${demoContextToken(tenant, user)}`);
  }
  say(`  try it            curl -H 'Authorization: JWT <token>' ${config.appBaseUrl}/api/v1/layouts`);
  say(`  operator token    npm run ops -- token mint --role admin`);
  say(`  console           ${config.appBaseUrl}/ops/console`);
}
say('\nPress Ctrl-C to stop.');
