import { defineConfig } from 'prisma/config';

/** Prisma CLI config for a regional (data-plane) database. */
export default defineConfig({
  schema: 'prisma/regional/schema.prisma',
  migrations: { path: 'prisma/regional/migrations' },
  datasource: { url: process.env.REGIONAL_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rt_eu' },
});
