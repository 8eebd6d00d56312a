import { createConnection } from 'node:net';
import pg from 'pg';

/** Thrown when a prerequisite of the local stack is missing, with what to do about it. */
export class PrerequisiteMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrerequisiteMissing';
  }
}

/** Checks that Postgres accepts connections as the admin user. */
export async function checkPostgres(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new PrerequisiteMissing(
      `PostgreSQL is not reachable at ${new URL(adminUrl).host} (${(err as Error).message}).\n` +
        '  Start it:    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n' +
        '  or install:  apt-get install postgresql   (local trust auth for user postgres)\n' +
        '  or point DATABASE_ADMIN_URL at another server.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks that Redis answers PING. */
export async function checkRedis(redisUrl: string): Promise<void> {
  const url = new URL(redisUrl);
  const port = Number(url.port || 6379);
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection({ host: url.hostname, port, timeout: 3000 });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      if (d.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer ${JSON.stringify(d.toString().slice(0, 40))}`));
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('timed out'));
    });
    socket.once('error', reject);
  }).catch((err: Error) => {
    throw new PrerequisiteMissing(
      `Redis is not reachable at ${url.host} (${err.message}).\n` +
        '  Start it:    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
        '  or install:  apt-get install redis-server\n' +
        '  or point REDIS_URL at another server.',
    );
  });
}
