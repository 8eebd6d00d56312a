import { loadConfigOrExit } from '@rt/config';
import { createDirectoryClient, createPgPool } from '@rt/db';
import { serve } from '@rt/http';
import { createRedis } from '@rt/queue';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfigOrExit(loadConfig);
const directory = createDirectoryClient({ url: config.directoryDatabaseUrl, poolSize: 2 });
const pool = createPgPool({ url: config.directoryDatabaseUrl, poolSize: config.dbPoolSize });
const redis = createRedis(config.region.redisUrl);
// One subscriber per distinct Redis server of any region: tenant changes are published on the
// publisher's own region's Redis (pub/sub ignores the DB index, so one per host:port suffices).
const redisServers = new Map<string, string>();
for (const region of config.regions.regions) {
  const u = new URL(region.redisUrl);
  redisServers.set(`${u.hostname}:${u.port || 6379}`, region.redisUrl);
}
const subscribers = [...redisServers.values()].map((url) => createRedis(url));
const app = await buildApp({ config, directory, pool, redis, subscribers });
await serve(app, {
  host: config.host,
  port: config.port,
  onShutdown: async () => {
    await directory.$disconnect();
    await pool.end();
    redis.disconnect();
    for (const sub of subscribers) sub.disconnect();
  },
});
