import { deletionCommands } from '@rt/deletion';
import { LOCAL_OPERATOR_AUDIENCE, mintOperatorToken, OPERATOR_ROLES, type OperatorRole } from '@rt/ops';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { type MigrationDetail, OpsClient } from './client.js';

/** Where the CLI writes (tests capture it). */
export interface CliIo {
  out: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Progress bars only on a terminal. */
  interactive: boolean;
  /** Poll interval of `migrate` (ms). */
  pollMs?: number;
}

const DONE_STATES = new Set(['committed', 'failed', 'rolled_back', 'cancelled']);

const mb = (n = 0) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function tokenFor(io: CliIo, role: OperatorRole): Promise<string> {
  if (io.env.OPS_TOKEN) return io.env.OPS_TOKEN;
  const secret = io.env.OPERATOR_TOKEN_SECRET;
  if (!secret) throw new Error('set OPS_TOKEN (or OPERATOR_TOKEN_SECRET on the local stack to mint one)');
  return mintOperatorToken(secret, { subject: 'local-cli', role, expiresInSeconds: 3600 });
}

async function clientFor(io: CliIo, role: OperatorRole): Promise<OpsClient> {
  return new OpsClient(io.env.OPS_URL ?? 'http://127.0.0.1:8080', await tokenFor(io, role));
}

/** One human-readable summary of a migration's report. */
export function formatReport(m: MigrationDetail): string[] {
  const r = (m.report ?? {}) as Record<string, unknown>;
  const d = (r.durations ?? {}) as Record<string, number | undefined>;
  const rows = (r.rows ?? {}) as Record<string, { count: number; sha256: string }>;
  const lines = [
    `migration ${m.id}: ${m.sourceRegion} → ${m.targetRegion}, ${m.state}${m.errorCode ? ` (${m.errorCode}: ${m.errorMessage})` : ''}`,
  ];
  if (r.rowsTotal !== undefined) {
    lines.push(`  rows ${r.rowsTotal}, objects ${r.objects}, ${mb(r.bytes as number)}`);
    for (const [table, s] of Object.entries(rows))
      lines.push(`    ${table.padEnd(18)} ${String(s.count).padStart(7)}  ${s.sha256.slice(0, 16)}…`);
    lines.push(`  object list sha256 ${String(r.objectListSha256).slice(0, 16)}…`);
    lines.push(
      `  freeze ${d.freezeMs ?? '?'} ms (rows ${d.copyRowsMs ?? '?'} ms, objects ${d.copyObjectsMs ?? '?'} ms, verify ${d.verifyMs ?? '?'} ms), total ${d.totalMs ?? '?'} ms`,
    );
  }
  if (r.sourceDeleted) lines.push(`  source copy deleted: ${JSON.stringify(r.sourceDeleted)}`);
  return lines;
}

/** `75s` → `1m15s`: the ETA of the current phase as people read it. */
export const duration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** Follows a migration until it ends (or is ready, without auto-commit), with a progress bar. */
async function follow(io: CliIo, client: OpsClient, id: string): Promise<MigrationDetail> {
  const bar = io.interactive
    ? new SingleBar({
        format: ' {bar} {percentage}% | {phase} | rows {rows} | objects {objects} | {bytes} | ETA {eta}',
      })
    : undefined;
  bar?.start(100, 0, { phase: 'starting', rows: '-', objects: '-', bytes: '-', eta: '-' });
  let last = '';
  for (;;) {
    const m = await client.showMigration(id);
    const p = m.progress ?? {};
    const payload = {
      phase: p.phase ?? m.state,
      rows: p.rows ? `${p.rows.done}/${p.rows.total}` : '-',
      objects: p.objects ? `${p.objects.done}/${p.objects.total}` : '-',
      bytes: p.bytes ? `${mb(p.bytes.done)}/${mb(p.bytes.total)}` : '-',
      eta: typeof p.etaSeconds === 'number' ? duration(p.etaSeconds) : '-',
    };
    if (bar) bar.update(m.percent, payload);
    else if (`${m.state}${payload.phase}` !== last) {
      last = `${m.state}${payload.phase}`;
      io.out(
        `${m.percent}% ${m.state} ${payload.phase} rows ${payload.rows} objects ${payload.objects} eta ${payload.eta}`,
      );
    }
    if (DONE_STATES.has(m.state) || (m.state === 'ready_to_commit' && !m.autoCommit)) {
      bar?.update(m.state === 'committed' || m.state === 'ready_to_commit' ? 100 : m.percent, payload);
      bar?.stop();
      return m;
    }
    await new Promise((r) => setTimeout(r, io.pollMs ?? 500));
  }
}

/** The `npm run ops -- …` command line. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ops').description('Refined Toolkit operator CLI (talks to the ops API)');
  program.exitOverride();
  const print = (v: unknown) => io.out(JSON.stringify(v, null, 2));

  const tenants = program.command('tenants').description('tenants in the directory');
  tenants
    .command('list')
    .option('--region <region>', 'only tenants homed in this region')
    .action(async (opts: { region?: string }) => {
      const { items } = await (await clientFor(io, 'viewer')).listTenants(opts.region);
      for (const t of items)
        io.out(`${t.clientKey}\t${t.homeRegion}\t${t.state}${t.frozenByMigration ? '\tFROZEN' : ''}`);
    });
  tenants
    .command('show <clientKey>')
    .action(async (clientKey: string) => print(await (await clientFor(io, 'viewer')).showTenant(clientKey)));

  program
    .command('migrate <clientKey>')
    .description('move a tenant to another region (pre-copy, freeze, copy, verify, commit)')
    .addOption(new Option('--to <region>', 'target region').choices(['EU', 'US']).makeOptionMandatory())
    .option('--no-auto-commit', 'stop at ready-to-commit')
    .action(async (clientKey: string, opts: { to: string; autoCommit: boolean }) => {
      const client = await clientFor(io, 'migrator');
      const started = await client.startMigration(clientKey, opts.to, opts.autoCommit);
      io.out(`migration ${started.id} started`);
      const end = await follow(io, client, started.id);
      for (const line of formatReport(end)) io.out(line);
      if (!['committed', 'ready_to_commit'].includes(end.state)) process.exitCode = 1;
    });

  const migrations = program.command('migrations').description('data-residency migrations');
  migrations.command('show <id>').action(async (id: string) => {
    const m = await (await clientFor(io, 'viewer')).showMigration(id);
    for (const line of formatReport(m)) io.out(line);
    io.out(`  progress ${m.percent}% ${JSON.stringify(m.progress)}`);
    for (const e of m.events) io.out(`  ${e.at}  ${e.fromState ?? '-'} → ${e.toState}`);
  });

  program
    .command('token')
    .description('operator tokens')
    .command('mint')
    .description('mint a local operator token (local stack only: needs OPERATOR_TOKEN_SECRET)')
    .addOption(new Option('--role <role>').choices([...OPERATOR_ROLES]).makeOptionMandatory())
    .option('--subject <subject>', 'token subject', 'local-operator')
    .option('--ttl <seconds>', 'lifetime', '3600')
    .action(async (opts: { role: OperatorRole; subject: string; ttl: string }) => {
      const secret = io.env.OPERATOR_TOKEN_SECRET;
      if (!secret || io.env.NODE_ENV === 'production') {
        throw new Error(
          'token mint works only on the local stack (OPERATOR_TOKEN_SECRET set, not production)',
        );
      }
      io.out(
        await mintOperatorToken(secret, {
          subject: opts.subject,
          role: opts.role,
          expiresInSeconds: Number(opts.ttl),
          audience: io.env.OPERATOR_AUDIENCE ?? LOCAL_OPERATOR_AUDIENCE,
        }),
      );
    });
  // `deletions list` and `purge <clientKey>` (with a progress bar), from @rt/deletion.
  deletionCommands(
    program,
    {
      get: async (path) => (await clientFor(io, 'viewer')).requestPath('GET', path),
      post: async (path, body) => (await clientFor(io, 'admin')).requestPath('POST', path, body as object),
    },
    {
      out: io.out,
      progress: (line) => (io.interactive ? process.stdout.write(`\r${line}`) : io.out(line)),
      pollMs: io.pollMs,
    },
  );
  return program;
}
