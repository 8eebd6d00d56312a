import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A local S3-compatible server (s3rver) on a free loopback port. */
export interface LocalS3 {
  endpoint: string;
  /** Where s3rver keeps the objects (a test may alter a stored file behind the store's back). */
  directory: string;
  close(): Promise<void>;
}

/** Starts s3rver with the given buckets in a temporary directory. */
export async function startLocalS3(
  options: { buckets?: string[]; port?: number; directory?: string } = {},
): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'rt-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  const info = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${info.port}`,
    directory,
    async close() {
      await server.close();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
