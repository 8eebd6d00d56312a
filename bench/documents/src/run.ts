/**
 * Benchmark of issue 4: GET a layout by id vs a bare fastify route that returns a constant JSON
 * of the same size, one bounded autocannon run each, loopback only.
 *
 *   npm run bench:documents                      # against the layout service directly
 *   BENCH_TARGET_URL=http://127.0.0.1:8080/api/v1/layouts/<id> \
 *   BENCH_AUTHORIZATION='JWT <context token>' npm run bench:documents   # through the router
 *
 * Direct mode creates a throw-away database, starts the layout service on an ephemeral port and
 * signs internal tokens as the router would. Env: BENCH_DURATION (s, default 10),
 * BENCH_CONNECTIONS (default 10), DATABASE_ADMIN_URL (see @rt/testing).
 */
import { randomUUID } from 'node:crypto';
import { createPgPool, createRegionalClient } from '@rt/db';
import { exampleLayoutContent } from '@rt/documents';
import { buildApp } from '@rt/layout/app';
import { createTestDatabase, internalToken } from '@rt/testing';
import autocannon from 'autocannon';
import Fastify from 'fastify';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
// Load generation in a worker thread, so it does not share the event loop of the servers.
const workers = Number(process.env.BENCH_WORKERS ?? 1);
const secret = randomUUID() + randomUUID();

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  bytes: number;
  errors: number;
}

async function measure(name: string, url: string, headers: () => Record<string, string>): Promise<Row> {
  // Warm-up (JIT, connection pools), not counted.
  await autocannon({ url, connections, duration: 2, headers: headers(), workers });
  const result = await autocannon({ url, connections, duration, headers: headers(), workers });
  return {
    name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function main(): Promise<void> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    let target: { url: string; headers: () => Record<string, string>; label: string };
    let sample: string;
    if (process.env.BENCH_TARGET_URL) {
      const authorization = process.env.BENCH_AUTHORIZATION ?? '';
      const headers = () => (authorization ? { authorization } : ({} as Record<string, string>));
      const res = await fetch(process.env.BENCH_TARGET_URL, { headers: headers() });
      if (!res.ok) throw new Error(`target answered ${res.status}: ${await res.text()}`);
      sample = await res.text();
      target = {
        url: process.env.BENCH_TARGET_URL,
        headers,
        label: 'GET layout by id (via BENCH_TARGET_URL)',
      };
    } else {
      const database = await createTestDatabase('regional', 'bench');
      cleanup.push(() => database.drop());
      const db = createRegionalClient({ url: database.url, poolSize: 10 });
      const pool = createPgPool({ url: database.url, poolSize: 10 });
      cleanup.push(async () => {
        await db.$disconnect();
        await pool.end();
      });
      const app = await buildApp({ internalTokenSecret: secret, db, pool, logLevel: 'warn' });
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      cleanup.unshift(() => app.close());
      const tenantId = randomUUID();
      // A token per run: internal tokens live 60 s, each run is shorter.
      const headers = () => ({ authorization: `Bearer ${internalToken(secret, tenantId)}` });
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/layouts',
        headers: headers(),
        payload: { name: 'Intranet home', scope: 'site', content: exampleLayoutContent() },
      });
      if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
      sample = created.body;
      target = {
        url: `${address}/api/v1/layouts/${created.json().id}`,
        headers,
        label: 'GET layout by id (layout service)',
      };
    }

    const constant = JSON.parse(sample) as unknown;
    const bare = Fastify({ logger: false });
    bare.get('/constant', async () => constant);
    const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });
    cleanup.unshift(() => bare.close());

    const baseline = await measure('bare fastify, constant JSON', `${bareAddress}/constant`, () => ({}));
    const measured = await measure(target.label, target.url, target.headers);
    const ratio = measured.reqPerSec / baseline.reqPerSec;

    console.log(
      `\n${duration} s per run, ${connections} connections, body ${sample.length} bytes, Node ${process.version}\n`,
    );
    console.log('| run | req/s | p50 ms | p99 ms | bytes/resp | errors |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of [baseline, measured]) {
      console.log(`| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.bytes} | ${r.errors} |`);
    }
    console.log(`\nratio ${ratio.toFixed(2)}× of the bare route (goal ≥ 0.6×)`);
    if (measured.errors > 0) process.exitCode = 1;
  } finally {
    for (const step of cleanup) await step().catch((err) => console.error(err));
  }
}

await main();
