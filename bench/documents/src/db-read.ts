/**
 * GET-by-id read path: Prisma (findFirst, tenant-scoped) vs raw `pg` (the query the document
 * repository runs), same database, same row, sequential and 10-way concurrent.
 *
 *   npm run bench:db -w @rt/bench-documents      (BENCH_READS, default 3000)
 */
import { randomUUID } from 'node:crypto';
import { createPgPool, createRegionalClient } from '@rt/db';
import { DocumentRepository, exampleLayoutContent, layoutKind } from '@rt/documents';
import { createTestDatabase } from '@rt/testing';

const reads = Number(process.env.BENCH_READS ?? 3000);
const database = await createTestDatabase('regional', 'benchdb');
const db = createRegionalClient({ url: database.url, poolSize: 10 });
const pool = createPgPool({ url: database.url, poolSize: 10 });
try {
  const tenantId = randomUUID();
  const repository = new DocumentRepository(pool, layoutKind);
  const { id } = await repository.create(tenantId, {
    name: 'Intranet home',
    scope: 'site',
    fields: { content: exampleLayoutContent() },
  });
  const variants: [string, () => Promise<unknown>][] = [
    ['prisma layout.findFirst', () => db.layout.findFirst({ where: { tenantId, id } })],
    ['pg (DocumentRepository.get)', () => repository.get(tenantId, id)],
  ];
  console.log(`| read path | sequential µs/read | 10 concurrent reads/s |`);
  console.log('|---|---:|---:|');
  for (const [name, read] of variants) {
    for (let i = 0; i < 200; i++) await read(); // warm-up
    let start = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) await read();
    const sequentialUs = Number(process.hrtime.bigint() - start) / 1000 / reads;
    start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < reads / 10; i++) await read();
      }),
    );
    const perSecond = reads / (Number(process.hrtime.bigint() - start) / 1e9);
    console.log(`| ${name} | ${sequentialUs.toFixed(0)} | ${perSecond.toFixed(0)} |`);
  }
} finally {
  await db.$disconnect();
  await pool.end();
  await database.drop();
}
