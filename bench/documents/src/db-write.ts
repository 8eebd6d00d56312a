/**
 * The document write path against Postgres: `DocumentRepository.create` and `.replace` (one
 * transaction each: the write fence, the row, its revision, its asset usages) from 10 tenants
 * at once, against the floor of a write — one autocommitted INSERT of the same row into the same
 * table — measured in the same run. Per write: wall time, the writer's CPU and the CPU of every
 * Postgres process of the machine (so keep the machine otherwise idle). Rounds of both, median
 * of three.
 *
 *   npm run bench:db-write -w @rt/bench-documents      (BENCH_WRITES per round, default 2000)
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createPgPool } from '@rt/db';
import { DocumentRepository, exampleLayoutContent, layoutKind } from '@rt/documents';
import { createTestDatabase } from '@rt/testing';

const writes = Number(process.env.BENCH_WRITES ?? 2000);
const rounds = 3;
const TENANTS = 10;

/** CPU time of every `postgres` process so far, in µs (USER_HZ = 100). */
function postgresCpuUs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      // Fields after the command name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10_000;
}

interface Run {
  wallUs: number;
  clientUs: number;
  postgresUs: number;
}

/** Runs `write` `writes` times, from TENANTS tenants at once, and charges the costs per write. */
async function measure(
  write: (tenant: string, i: number) => Promise<unknown>,
  tenants: string[],
): Promise<Run> {
  const pg = postgresCpuUs();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    tenants.map(async (tenant) => {
      for (let i = 0; i < writes / TENANTS; i++) await write(tenant, i);
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    wallUs: Number(process.hrtime.bigint() - start) / 1000 / writes,
    clientUs: (used.user + used.system) / writes,
    postgresUs: (postgresCpuUs() - pg) / writes,
  };
}

const median = (runs: Run[], key: keyof Run) =>
  [...runs].map((r) => r[key]).sort((a, b) => a - b)[1] as number;

const database = await createTestDatabase('regional', 'benchdbwrite');
const pool = createPgPool({ url: database.url, poolSize: TENANTS });
try {
  const repository = new DocumentRepository(pool, layoutKind);
  const tenants = Array.from({ length: TENANTS }, () => randomUUID());
  const input = { name: 'Intranet home', scope: 'site', fields: { content: exampleLayoutContent() } };
  const content = JSON.stringify(input.fields.content);
  const created = new Map<string, string[]>(tenants.map((t) => [t, []]));
  const targets: [string, (tenant: string, i: number) => Promise<unknown>][] = [
    [
      'one INSERT of the row, autocommit (reference)',
      (tenant) =>
        pool.query(
          'INSERT INTO layouts (tenant_id, name, scope, schema_version, content) VALUES ($1, $2, $3, 1, $4::jsonb)',
          [tenant, input.name, input.scope, content],
        ),
    ],
    [
      'DocumentRepository.create',
      async (tenant) => created.get(tenant)!.push((await repository.create(tenant, input)).id),
    ],
    [
      'DocumentRepository.replace (If-Match, version 1 → 2)',
      (tenant, i) =>
        repository.replace(tenant, created.get(tenant)![i]!, { any: false, versions: [1] }, input),
    ],
  ];
  // Warm-up (connections, prepared statements, JIT), not counted.
  for (let i = 0; i < 200; i++) await repository.create(tenants[i % TENANTS]!, input);
  const runs = new Map(targets.map(([name]) => [name, [] as Run[]]));
  for (let round = 0; round < rounds; round++) {
    for (const t of tenants) created.set(t, []);
    for (const [name, write] of targets) runs.get(name)!.push(await measure(write, tenants));
  }
  console.log(
    `\nbench:db-write — ${writes} writes per run from ${TENANTS} tenants at once, median of ${rounds} runs, Node ${process.version}\n`,
  );
  console.log('| write | wall µs/write | writer CPU µs/write | Postgres CPU µs/write |');
  console.log('|---|---:|---:|---:|');
  for (const [name, all] of runs) {
    console.log(
      `| ${name} | ${median(all, 'wallUs').toFixed(0)} | ${median(all, 'clientUs').toFixed(0)} | ${median(all, 'postgresUs').toFixed(0)} |`,
    );
  }
} finally {
  await pool.end();
  await database.drop();
}
