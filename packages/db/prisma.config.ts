import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI config for the directory (control-plane) database.
 * The regional schema has its own config: prisma.regional.config.ts.
 */
export default defineConfig({
  schema: 'prisma/directory/schema.prisma',
  migrations: { path: 'prisma/directory/migrations' },
  datasource: {
    url: process.env.DIRECTORY_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/rt_directory',
  },
});
