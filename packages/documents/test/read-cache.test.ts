import { describe, expect, it } from 'vitest';
import {
  type CachedRepresentation,
  cachedBytes,
  contentEtag,
  DocumentReadCache,
  etagOf,
  ifNoneMatchHits,
  parseIfMatch,
} from '../src/index.js';

const rep = (body: string) => ({ etag: contentEtag(body), body: Buffer.from(body) });

describe('DocumentReadCache', () => {
  it('never answers one tenant with another tenant’s entry of the same key', () => {
    const cache = new DocumentReadCache();
    cache.store('tenant-a', 'layout', 'id\u0000x', rep('{"of":"a"}'), cache.ticket());
    expect(cache.get('tenant-a', 'layout', 'id\u0000x')?.body?.toString()).toBe('{"of":"a"}');
    expect(cache.get('tenant-b', 'layout', 'id\u0000x')).toBeUndefined();
    // Ids that would collide in a flat "tenant:key" string stay apart.
    cache.store('a:id', 'layout', 'x', rep('{"of":"a:id"}'), cache.ticket());
    expect(cache.get('a', 'layout', 'id:x')).toBeUndefined();
    expect(cache.get('tenant-a', 'theme', 'id\u0000x')).toBeUndefined();
  });

  it('refuses a read that started before an invalidation of its tenant, not of another', () => {
    const cache = new DocumentReadCache();
    const before = cache.ticket();
    cache.invalidate('tenant-a', 'layout');
    cache.store('tenant-a', 'layout', 'k', rep('old'), before);
    expect(cache.get('tenant-a', 'layout', 'k')).toBeUndefined();
    cache.store('tenant-b', 'layout', 'k', rep('b'), before);
    expect(cache.get('tenant-b', 'layout', 'k')?.body?.toString()).toBe('b');
    cache.store('tenant-a', 'layout', 'k', rep('new'), cache.ticket());
    expect(cache.get('tenant-a', 'layout', 'k')?.body?.toString()).toBe('new');
  });

  it('drops a kind of a tenant, or the whole tenant', () => {
    const cache = new DocumentReadCache();
    for (const kind of ['layout', 'theme'] as const) {
      for (const tenant of ['a', 'b'])
        cache.store(tenant, kind, 'k', rep(`${tenant}${kind}`), cache.ticket());
    }
    cache.invalidate('a', 'layout');
    expect(cache.get('a', 'layout', 'k')).toBeUndefined();
    expect(cache.get('a', 'theme', 'k')?.body?.toString()).toBe('atheme');
    cache.invalidate('a');
    expect(cache.get('a', 'theme', 'k')).toBeUndefined();
    expect(cache.get('b', 'layout', 'k')?.body?.toString()).toBe('blayout');
    expect(cache.size.entries).toBe(2);
  });

  it('a write of one document drops its reads and the kind’s collection reads, not the other documents’', () => {
    const cache = new DocumentReadCache();
    cache.store('a', 'layout', 'id-x', rep('x'), cache.ticket(), 'x');
    cache.store('a', 'layout', 'id-y', rep('y'), cache.ticket(), 'y');
    cache.store('a', 'layout', 'list', rep('list'), cache.ticket());
    cache.store('a', 'theme', 'id-x', rep('theme x'), cache.ticket(), 'x');
    cache.store('b', 'layout', 'id-x', rep('b x'), cache.ticket(), 'x');
    cache.invalidate('a', 'layout', 'x');
    expect(cache.get('a', 'layout', 'id-x')).toBeUndefined();
    expect(cache.get('a', 'layout', 'list')).toBeUndefined();
    expect(cache.get('a', 'layout', 'id-y')?.body?.toString()).toBe('y');
    expect(cache.get('a', 'theme', 'id-x')?.body?.toString()).toBe('theme x');
    expect(cache.get('b', 'layout', 'id-x')?.body?.toString()).toBe('b x');
    // Without a document, the whole kind goes.
    cache.invalidate('a', 'layout');
    expect(cache.get('a', 'layout', 'id-y')).toBeUndefined();
  });

  it('stays within its entry and byte limits, evicting the least recently used', () => {
    // One queue (no probation segment): a plain second-chance LRU.
    const cache = new DocumentReadCache({ maxEntries: 3, maxBytes: 1024 * 1024, probationShare: 1 });
    for (const k of ['1', '2', '3']) cache.store('t', 'layout', k, rep(k), cache.ticket());
    cache.get('t', 'layout', '1'); // 2 is now the least recently used
    cache.store('t', 'layout', '4', rep('4'), cache.ticket());
    expect(cache.get('t', 'layout', '2')).toBeUndefined();
    expect(cache.get('t', 'layout', '1')?.body?.toString()).toBe('1');
    expect(cache.size.entries).toBe(3);

    // Every entry read since it was stored: the new one is still kept (the oldest goes).
    for (const k of ['1', '3', '4']) cache.get('t', 'layout', k);
    cache.store('t', 'layout', '5', rep('5'), cache.ticket());
    expect(cache.get('t', 'layout', '5')?.body?.toString()).toBe('5');
    expect(cache.get('t', 'layout', '3')).toBeUndefined();
    expect(cache.size.entries).toBe(3);

    const small = new DocumentReadCache({ maxEntries: 1000, maxBytes: 64 * 1024, probationShare: 1 });
    for (let i = 0; i < 200; i++) small.store(`t${i}`, 'layout', 'k', rep('x'.repeat(4000)), small.ticket());
    expect(small.size.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(small.size.entries).toBeLessThan(20);
    expect(small.get('t199', 'layout', 'k')).toBeDefined();
  });

  it('keeps what is read again through a scan of documents read once, in a fifth of its limits', () => {
    const scanned = (cache: DocumentReadCache) => {
      for (let i = 0; i < 10; i++) cache.store('t', 'layout', `hot${i}`, rep(`hot ${i}`), cache.ticket());
      for (let i = 0; i < 10; i++) cache.get('t', 'layout', `hot${i}`);
      // A crawler reads 1 000 old layouts once each, while page views read the hot ones again
      // now and then (less often than a single queue of 100 turns over).
      for (let i = 0; i < 1000; i++) {
        cache.store('t', 'layout', `old${i}`, rep(`old ${i}`), cache.ticket());
        if (i % 250 === 0) for (let h = 0; h < 10; h++) cache.get('t', 'layout', `hot${h}`);
      }
      return Array.from({ length: 10 }, (_, i) => cache.get('t', 'layout', `hot${i}`)).filter(Boolean).length;
    };
    const segmented = new DocumentReadCache({ maxEntries: 100, maxBytes: 1024 * 1024 });
    expect(scanned(segmented)).toBe(10);
    const { entries, probation, protected: kept } = segmented.size;
    expect(probation).toBeLessThanOrEqual(20);
    expect(kept).toBe(10);
    expect(entries).toBe(probation + kept);
    expect(segmented.stats.promotions).toBeGreaterThanOrEqual(10);
    // What a single queue does with the same reads: the scan pushes the hot documents out.
    expect(
      scanned(new DocumentReadCache({ maxEntries: 100, maxBytes: 1024 * 1024, probationShare: 1 })),
    ).toBe(0);

    // Bytes too: documents read once hold at most a fifth of maxBytes.
    const bytes = new DocumentReadCache({ maxEntries: 10_000, maxBytes: 1024 * 1024 });
    for (let i = 0; i < 2000; i++) bytes.store('t', 'layout', `k${i}`, rep('x'.repeat(1000)), bytes.ticket());
    expect(bytes.size.bytes).toBeLessThanOrEqual((1024 * 1024) / 5);
    expect(bytes.size.bytes).toBeGreaterThan((1024 * 1024) / 6);
    expect(bytes.get('t', 'layout', 'k1999')).toBeDefined();
  });

  it('lets a new set of hot documents replace the old one, within its limits', () => {
    const cache = new DocumentReadCache({ maxEntries: 10 }); // probation 2, protected 8
    const phase = (prefix: string) => {
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 8; i++) {
          // Two page views of each: a miss stores it, the next view reads it on probation.
          const key = `${prefix}${i}`;
          if (!cache.get('t', 'layout', key)) cache.store('t', 'layout', key, rep(key), cache.ticket());
          expect(cache.get('t', 'layout', key)).toBeDefined();
        }
        cache.store('t', 'layout', `scan-${prefix}${round}`, rep('once'), cache.ticket());
        expect(cache.size.entries).toBeLessThanOrEqual(10);
      }
    };
    phase('a');
    phase('b');
    for (let i = 0; i < 8; i++) expect(cache.get('t', 'layout', `b${i}`)).toBeDefined();
    expect(cache.get('t', 'layout', 'a0')).toBeUndefined();
    expect(cache.size.protected).toBe(8);
  });

  it('keeps documents read again only after probation has turned over, when it has room for them', () => {
    // 500 documents read round robin, each again 500 reads later: long after probation (200
    // entries) has turned over, well within the cache's 1 000. Probation alone would never keep
    // one; the remembered keys bring them back into the protected queue on their second store.
    const cache = new DocumentReadCache({ maxEntries: 1000 });
    const pass = () => {
      let hits = 0;
      for (let n = 0; n < 500; n++) {
        if (cache.get('t', 'layout', `d${n}`)) hits++;
        else cache.store('t', 'layout', `d${n}`, rep(`{"n":${n}}`), cache.ticket(), `d${n}`);
      }
      return hits;
    };
    expect(pass()).toBe(0);
    expect(cache.size).toMatchObject({ probation: 200, protected: 0 });
    expect(pass()).toBe(200); // the last 200 were still on probation
    expect(cache.stats.readmissions).toBe(300);
    expect(pass()).toBe(500);
    expect(pass()).toBe(500);
    // A scan of documents read once afterwards passes through probation and leaves them all.
    for (let n = 0; n < 2000; n++) cache.store('t', 'layout', `scan${n}`, rep('{}'), cache.ticket());
    expect(pass()).toBe(500);
  });

  it('keeps its books under random traffic: only what was stored last, within its limits, nothing left after', () => {
    // A seeded model check of the two queues' bookkeeping: hits, stores, re-stores, invalidations
    // of a document, a kind or a tenant, in random order, against a map of what was stored last.
    let seed = 17;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (const probationShare of [0.2, 0.5, 1]) {
      const maxBytes = 8 * 1024;
      const cache = new DocumentReadCache({ maxEntries: 24, maxBytes, probationShare });
      const latest = new Map<string, string>();
      const tenants = ['t1', 't2', 't3'];
      const kinds = ['layout', 'theme'] as const;
      for (let step = 0; step < 20_000; step++) {
        const tenant = tenants[random(3)]!;
        const kind = kinds[random(2)]!;
        const doc = `d${random(40)}`;
        const name = `${tenant}|${kind}|${doc}`;
        const op = random(100);
        if (op < 55) {
          const got = cache.get(tenant, kind, doc);
          if (got) expect(got.body?.toString()).toBe(latest.get(name));
        } else if (op < 92) {
          const body = `{"v":${step},"pad":"${'x'.repeat(random(700))}"}`;
          cache.store(tenant, kind, doc, rep(body), cache.ticket(), doc);
          latest.set(name, body);
        } else if (op < 97) {
          cache.invalidate(tenant, kind, doc);
          expect(cache.get(tenant, kind, doc)).toBeUndefined();
        } else {
          cache.invalidate(tenant, random(2) ? kind : undefined);
          expect(cache.get(tenant, kind, doc)).toBeUndefined();
        }
        const size = cache.size;
        expect(size.entries).toBe(size.probation + size.protected);
        expect(size.entries).toBeLessThanOrEqual(24);
        // One entry may be up to a quarter of maxBytes and is stored after probation emptied.
        expect(size.bytes).toBeLessThanOrEqual(maxBytes * 1.25);
        expect(size.bytes).toBeGreaterThanOrEqual(0);
      }
      expect(cache.stats.evictions).toBeGreaterThan(300);
      if (probationShare < 1) expect(cache.stats.promotions).toBeGreaterThan(100);
      // Every entry's bytes were given back: nothing is counted that is not held.
      for (const tenant of tenants) cache.invalidate(tenant);
      expect(cache.size).toEqual({ entries: 0, bytes: 0, probation: 0, protected: 0 });
    }
  });

  it('serves nothing while the bus is down and forgets what it held', () => {
    const cache = new DocumentReadCache();
    cache.store('t', 'layout', 'k', rep('v'), cache.ticket());
    const during = cache.ticket();
    cache.setLive(false);
    expect(cache.get('t', 'layout', 'k')).toBeUndefined();
    cache.store('t', 'layout', 'k', rep('v'), cache.ticket());
    cache.setLive(true);
    expect(cache.get('t', 'layout', 'k')).toBeUndefined();
    cache.store('t', 'layout', 'k', rep('v'), during);
    expect(cache.get('t', 'layout', 'k')).toBeUndefined();
  });

  it('reloads an entry past its maximum age', () => {
    let now = 0;
    const cache = new DocumentReadCache({ maxAgeMs: 1000, now: () => now });
    cache.store('t', 'layout', 'k', rep('v'), cache.ticket());
    now = 1000;
    expect(cache.get('t', 'layout', 'k')).toBeDefined();
    now = 1001;
    expect(cache.get('t', 'layout', 'k')).toBeUndefined();
    expect(cache.size.entries).toBe(0);
  });
});

describe('entity tags', () => {
  it('If-None-Match uses the weak comparison and understands lists and *', () => {
    expect(ifNoneMatchHits('"3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits('W/"3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits('"1", "2" ,W/"3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits('*', '"3"')).toBe(true);
    expect(ifNoneMatchHits('"3-default"', '"3"')).toBe(false);
    expect(ifNoneMatchHits('3', '"3"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"3"')).toBe(false);
  });

  it('a default theme has its own ETag, which If-Match still accepts for that version', () => {
    expect(etagOf(3)).toBe('"3"');
    expect(etagOf(3, true)).toBe('"3-default"');
    expect(parseIfMatch('"3-default"')).toEqual({ any: false, versions: [3] });
  });

  it('content ETags differ for different bodies and agree for equal ones', () => {
    expect(contentEtag('{"a":1}')).toBe(contentEtag('{"a":1}'));
    expect(contentEtag('{"a":1}')).not.toBe(contentEtag('{"a":2}'));
    expect(contentEtag('x')).toMatch(/^"c[A-Za-z0-9_-]{27}"$/);
  });
});

describe('DocumentReadCache.read', () => {
  it('shares one load between concurrent reads, but not across an invalidation', async () => {
    const cache = new DocumentReadCache();
    let loads = 0;
    const release: (() => void)[] = [];
    const loader = () =>
      new Promise<CachedRepresentation>((resolve) => {
        const n = ++loads;
        release.push(() => resolve(rep(`v${n}`)));
      });
    const first = cache.read('t', 'layout', 'k', loader);
    const joined = cache.read('t', 'layout', 'k', loader);
    expect(loads).toBe(1);
    // A write commits: a read arriving now must not get the load that began before it.
    cache.invalidate('t', 'layout');
    const after = cache.read('t', 'layout', 'k', loader);
    expect(loads).toBe(2);
    for (const r of release) r();
    expect((await first).body?.toString()).toBe('v1');
    expect((await joined).body?.toString()).toBe('v1');
    expect((await after).body?.toString()).toBe('v2');
    // Only the load that started after the invalidation was kept.
    expect(cache.get('t', 'layout', 'k')?.body?.toString()).toBe('v2');
    expect(cache.stats.joined).toBe(1);
  });

  it('never shares a load between tenants', async () => {
    const cache = new DocumentReadCache();
    const a = cache.read('a', 'layout', 'k', async () => rep('of a'));
    const b = cache.read('b', 'layout', 'k', async () => rep('of b'));
    expect((await a).body?.toString()).toBe('of a');
    expect((await b).body?.toString()).toBe('of b');
  });
});

describe('cachedBytes', () => {
  it('keeps a body in memory of its own, never a slice of a shared pool', () => {
    const text = '{"name":"Intranet – page"}';
    const fromText = cachedBytes(text);
    expect(fromText.toString()).toBe(text);
    // A pooled Buffer (Buffer.from, Buffer.concat) is a view into an 8 KiB slab.
    expect(Buffer.from(text).buffer.byteLength).toBeGreaterThan(fromText.length);
    expect(fromText.buffer.byteLength).toBe(Buffer.byteLength(text));
    const chunks = [Buffer.from('{"a":'), Buffer.from('1}')];
    const fromChunks = cachedBytes(chunks);
    expect(fromChunks.toString()).toBe('{"a":1}');
    expect(fromChunks.buffer.byteLength).toBe(7);
  });
});
