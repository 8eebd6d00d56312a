import { performance } from 'node:perf_hooks';
import { exampleLayoutContent } from '@rt/documents';
import { uniquePng } from '@rt/testing';
import type { Pool } from 'undici';
import { SOAK_SPACE, type SoakTenant } from './atlassian.js';

/** What a request of the soak does. */
export const KINDS = ['read-layout', 'read-list', 'read-space-theme', 'create', 'update', 'upload'] as const;
/** One kind of request. */
export type Kind = (typeof KINDS)[number];

/** An acknowledged layout: the last version and name its writer was answered with. */
export interface AckedLayout {
  id: string;
  tenant: number;
  scope: string;
  version: number;
  name: string;
  /** The connection that created it and alone updates it (-1: seeded before the soak). */
  owner: number;
}

/** Every acknowledged write of the soak, to be read back afterwards. */
export class Ledger {
  readonly layouts = new Map<string, AckedLayout>();
  /** Ids of each tenant's layouts, for reads by id. */
  readonly byTenant: string[][];
  readonly assets: Array<{ id: string; tenant: number }> = [];

  constructor(tenants: number) {
    this.byTenant = Array.from({ length: tenants }, () => []);
  }

  ack(layout: AckedLayout): void {
    if (!this.layouts.has(layout.id)) this.byTenant[layout.tenant]!.push(layout.id);
    this.layouts.set(layout.id, layout);
  }
}

/** Per-kind counts and latencies, errors and the freeze answers of the migrating tenant. */
export class Recorder {
  readonly count = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  readonly notModified = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  readonly latencies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  /** `kind status code` → count; anything not expected. */
  readonly errors = new Map<string, number>();
  readonly errorSamples: string[] = [];
  /** 503 TENANT_MIGRATING answers to the migrating tenant's writes, with first and last time. */
  readonly frozen = { count: 0, first: 0, last: 0 };
  /** Requests completed per 5 s bucket since the start. */
  readonly buckets: number[] = [];
  constructor(readonly t0: number) {}

  done(kind: Kind, started: number, notModified: boolean): void {
    const now = performance.now();
    this.count.set(kind, this.count.get(kind)! + 1);
    if (notModified) this.notModified.set(kind, this.notModified.get(kind)! + 1);
    this.latencies.get(kind)!.push(now - started);
    const bucket = Math.floor((now - this.t0) / 5000);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
  }

  error(kind: Kind, started: number, what: string, detail: string): void {
    this.done(kind, started, false);
    const at = ((performance.now() - this.t0) / 1000).toFixed(1);
    detail = `at ${at} s, ${detail}`;
    const key = `${kind} ${what}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    if (this.errorSamples.length < 10) this.errorSamples.push(`${key}: ${detail.slice(0, 300)}`);
  }

  freeze(kind: Kind, started: number): void {
    this.done(kind, started, false);
    const t = performance.now() - this.t0;
    if (this.frozen.count++ === 0) this.frozen.first = t;
    this.frozen.last = t;
  }
}

/** The layout content every create and update sends, serialised once. */
const CONTENT = JSON.stringify(exampleLayoutContent());
/** Body of a layout create or replace. */
export const layoutBody = (name: string, scope: string) =>
  `{"name":${JSON.stringify(name)},"scope":${JSON.stringify(scope)},"content":${CONTENT}}`;

/** The mix, as cumulative thresholds over [0, 1): ~85% reads, ~9.5% creates, 5% updates, 0.5% uploads. */
const MIX: Array<[Kind, number]> = [
  ['read-layout', 0.35],
  ['read-list', 0.6],
  ['read-space-theme', 0.85],
  ['create', 0.945],
  ['update', 0.995],
  ['upload', 1],
];
/** Validators (ETags) a connection keeps, least recently stored dropped first. */
const ETAGS_KEPT = 1000;
/** Share of reads sent with the ETag the connection last saw for that URL (If-None-Match). */
const CONDITIONAL_SHARE = 0.4;

/** Everything the connections share. */
export interface TrafficContext {
  /** One keep-alive pool per router; connection i uses router i mod 2. */
  pools: Pool[];
  tenants: SoakTenant[];
  /** Index of the tenant being migrated; only its writes may be answered 503 TENANT_MIGRATING. */
  migrant: number;
  /** Probability that a request goes to the migrating tenant. */
  migrantShare: number;
  ledger: Ledger;
  recorder: Recorder;
  /** Set to end the soak: connections finish their request and stop. */
  stopAt: number;
  uploadSeed: { next: number };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * One client connection: requests back to back (no think time) until `stopAt`, through one
 * router, each to a random tenant. A connection updates only the layouts it created itself,
 * with the version it was last answered — so every 412 would be a lost or reordered write, and
 * every acknowledged version must be what a read afterwards returns.
 */
export async function runConnection(index: number, ctx: TrafficContext): Promise<void> {
  const pool = ctx.pools[index % ctx.pools.length]!;
  const etags = new Map<string, string>();
  const owned: AckedLayout[] = [];
  const others = ctx.tenants.map((_, i) => i).filter((i) => i !== ctx.migrant);
  let seq = 0;
  while (performance.now() < ctx.stopAt) {
    const r = Math.random();
    let kind = MIX.find(([, upTo]) => r < upTo)![0];
    if (kind === 'update' && owned.length === 0) kind = 'create';
    const tenant =
      kind === 'update' ? undefined : Math.random() < ctx.migrantShare ? ctx.migrant : pick(others);
    const started = performance.now();
    try {
      switch (kind) {
        case 'read-layout':
        case 'read-list':
        case 'read-space-theme': {
          const t = tenant!;
          // Page views mostly read a site's few layouts in use (the seeded ones); one in five
          // reads any acknowledged layout, so the read caches meet a working set that grows.
          const ids = ctx.ledger.byTenant[t]!;
          const path =
            kind === 'read-layout'
              ? `/api/v1/layouts/${Math.random() < 0.8 ? ids[Math.floor(Math.random() * Math.min(3, ids.length))] : pick(ids)}`
              : kind === 'read-list'
                ? `/api/v1/layouts?scope=${Math.random() < 0.5 ? 'site' : `space:${SOAK_SPACE}`}`
                : `/api/v1/spaces/${Math.random() < 0.5 ? SOAK_SPACE : 'ENG'}/theme`;
          const key = `${t} ${path}`;
          const etag = Math.random() < CONDITIONAL_SHARE ? etags.get(key) : undefined;
          const res = await pool.request({
            method: 'GET',
            path,
            headers: {
              authorization: ctx.tenants[t]!.authorization,
              ...(etag ? { 'if-none-match': etag } : {}),
            },
          });
          const body = await res.body.text();
          if (res.statusCode === 200 || (res.statusCode === 304 && etag)) {
            const got = res.headers.etag;
            if (typeof got === 'string') {
              // A browser's cache is bounded too: the oldest validator goes first.
              etags.delete(key);
              etags.set(key, got);
              if (etags.size > ETAGS_KEPT) etags.delete(etags.keys().next().value!);
            }
            ctx.recorder.done(kind, started, res.statusCode === 304);
          } else {
            ctx.recorder.error(
              kind,
              started,
              `${res.statusCode} ${codeOf(body)}`,
              `${whose(ctx, t)} via ${index % 2 ? 'US' : 'EU'} router, ${path}: ${body}`,
            );
          }
          break;
        }
        case 'create': {
          const t = tenant!;
          const scope = Math.random() < 0.5 ? 'site' : `space:${SOAK_SPACE}`;
          const name = `c${index}-${++seq}`;
          const res = await pool.request({
            method: 'POST',
            path: '/api/v1/layouts',
            headers: { authorization: ctx.tenants[t]!.authorization, 'content-type': 'application/json' },
            body: layoutBody(name, scope),
          });
          const body = await res.body.text();
          if (res.statusCode === 201) {
            const { id, version } = JSON.parse(body) as { id: string; version: number };
            const acked = { id, tenant: t, scope, version, name, owner: index };
            ctx.ledger.ack(acked);
            owned.push(acked);
            ctx.recorder.done(kind, started, false);
          } else classifyWriteError(ctx, kind, t, started, res.statusCode, body);
          break;
        }
        case 'update': {
          const doc = pick(owned);
          const name = `u${index}-${++seq}`;
          const res = await pool.request({
            method: 'PUT',
            path: `/api/v1/layouts/${doc.id}`,
            headers: {
              authorization: ctx.tenants[doc.tenant]!.authorization,
              'content-type': 'application/json',
              'if-match': `"${doc.version}"`,
            },
            body: layoutBody(name, doc.scope),
          });
          const body = await res.body.text();
          if (res.statusCode === 200) {
            const { version } = JSON.parse(body) as { version: number };
            doc.version = version;
            doc.name = name;
            ctx.ledger.ack(doc);
            ctx.recorder.done(kind, started, false);
          } else classifyWriteError(ctx, kind, doc.tenant, started, res.statusCode, body);
          break;
        }
        case 'upload': {
          const t = tenant!;
          const res = await pool.request({
            method: 'POST',
            path: '/api/v1/assets',
            headers: { authorization: ctx.tenants[t]!.authorization, 'content-type': 'image/png' },
            body: uniquePng(ctx.uploadSeed.next++),
          });
          const body = await res.body.text();
          if (res.statusCode === 201 || res.statusCode === 200) {
            ctx.ledger.assets.push({ id: (JSON.parse(body) as { id: string }).id, tenant: t });
            ctx.recorder.done(kind, started, false);
          } else classifyWriteError(ctx, kind, t, started, res.statusCode, body);
          break;
        }
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      ctx.recorder.error(kind, started, `network ${e.code ?? e.name}`, e.message);
    }
  }
}

const whose = (ctx: TrafficContext, tenant: number) =>
  tenant === ctx.migrant ? 'migrating tenant' : `tenant ${tenant} (${ctx.tenants[tenant]!.homeRegion})`;

const codeOf = (body: string): string => {
  try {
    return (JSON.parse(body) as { code?: string }).code ?? '';
  } catch {
    return '';
  }
};

/** A write not acknowledged: the freeze of the migrating tenant is expected, nothing else is. */
function classifyWriteError(
  ctx: TrafficContext,
  kind: Kind,
  tenant: number,
  started: number,
  status: number,
  body: string,
): void {
  const code = codeOf(body);
  if (status === 503 && code === 'TENANT_MIGRATING' && tenant === ctx.migrant)
    ctx.recorder.freeze(kind, started);
  else ctx.recorder.error(kind, started, `${status} ${code}`, `${whose(ctx, tenant)}: ${body}`);
}
