import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

/** The embedded S3-compatible server of the local stack (data kept in the state directory). */
export async function startEmbeddedS3(options: {
  host: string;
  port: number;
  directory: string;
  buckets: string[];
}) {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: options.host,
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const info = (await server.run()) as AddressInfo;
  return { endpoint: `http://${options.host}:${info.port}`, close: () => server.close() };
}
