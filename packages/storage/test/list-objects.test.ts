import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalS3 } from '@rt/testing';
import { describe, expect, it } from 'vitest';
import { createS3Client, listTenantObjects } from '../src/index.js';

describe('listTenantObjects', () => {
  it('lists more than one page (1000 keys) of a tenant, and only that tenant', async () => {
    const s3srv = await startLocalS3({ buckets: ['list-test'] });
    const s3 = createS3Client({ awsRegion: 'eu-central-1', s3Endpoint: s3srv.endpoint });
    try {
      const tenant = '00000000-0000-4000-8000-000000000001';
      const other = '00000000-0000-4000-8000-000000000002';
      const keys = Array.from(
        { length: 1203 },
        (_, i) => `tenants/${tenant}/assets/${i.toString(16).padStart(64, '0')}`,
      );
      const put = (Key: string) => s3.send(new PutObjectCommand({ Bucket: 'list-test', Key, Body: 'x' }));
      await Promise.all(
        Array.from({ length: 8 }, async (_, lane) => {
          for (let i = lane; i < keys.length; i += 8) await put(keys[i] as string);
        }),
      );
      await put(`tenants/${other}/assets/${'f'.repeat(64)}`);
      const listed: string[] = [];
      for await (const page of listTenantObjects(s3, 'list-test', tenant))
        listed.push(...page.map((o) => o.Key as string));
      expect(listed.sort()).toEqual([...keys].sort());
    } finally {
      s3.destroy();
      await s3srv.close();
    }
  });
});
