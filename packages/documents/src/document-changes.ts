import {
  publishDocumentChanged,
  type RedisPublisher,
  type RedisSubscriber,
  subscribeTenantBus,
  type TenantBusSubscription,
} from '@rt/directory';
import { type MetricsRegistry, scrapedCounter, scrapedGauge } from '@rt/http';
import type { DocumentType } from './document-kind.js';
import { DocumentReadCache, type DocumentReadCacheOptions } from './read-cache.js';

/** How long start-up waits for the bus before serving without the cache. */
const SUBSCRIBE_WAIT_MS = 3000;

const KINDS: ReadonlySet<string> = new Set<DocumentType>(['layout', 'theme']);

/** Options of {@link DocumentChangeBus}. */
export interface DocumentChangeBusOptions extends DocumentReadCacheOptions {
  /** This region's Redis, to publish document-changed notices on. */
  publisher: RedisPublisher;
  /** Channel prefix (tests: `redisTestPrefix()`; production: ''). */
  prefix?: string;
  /** Where a failed publish is reported. */
  logger?: { warn(obj: object, msg: string): void };
}

/**
 * The read cache of one process together with its invalidation: the writer's own write drops
 * the process's copies synchronously ({@link committed}, called after COMMIT and before the
 * answer), and a document-changed notice on the tenant-change bus (`@rt/directory`) drops them
 * in every other replica of the region. Tenant-changed notices (migration commit, deletion,
 * uninstall) drop everything of the tenant. The cache serves only while its subscription is
 * live; the entries' maximum age bounds the damage of a notice lost in a failed publish.
 */
export class DocumentChangeBus {
  readonly cache: DocumentReadCache;
  private subscription: TenantBusSubscription | undefined;
  private closed = false;

  constructor(private readonly options: DocumentChangeBusOptions) {
    this.cache = new DocumentReadCache(options);
    // Nothing is served before the subscription runs: notices could not reach us yet.
    this.cache.setLive(false);
  }

  /**
   * A write of `kind` for `tenantId` has committed: drop this process's copies now, then tell
   * the other replicas. `doc`: the write changed that one document and nothing another
   * document's reads show (only its own reads and the kind's collection reads go). A failed
   * publish is logged, not thrown — the write stands; the other replicas' entries expire by age.
   */
  async committed(tenantId: string, kind: DocumentType, doc?: string): Promise<void> {
    this.cache.invalidate(tenantId, kind, doc);
    try {
      await publishDocumentChanged(
        this.options.publisher,
        { tenantId, kind, ...(doc ? { id: doc } : {}) },
        this.options.prefix,
      );
    } catch (err) {
      this.options.logger?.warn({ err, tenantId, kind }, 'document-changed notice not published');
    }
  }

  /** Starts listening on a connection in subscriber mode; resolves once subscribed. */
  async subscribe(subscriber: RedisSubscriber): Promise<void> {
    const subscription = await subscribeTenantBus(
      subscriber,
      {
        tenantChanged: (tenantId) => this.cache.invalidate(tenantId),
        documentChanged: ({ tenantId, kind, id }) => {
          // An unknown kind is not ignored: the whole tenant goes (never keep what may be stale).
          if (KINDS.has(kind)) this.cache.invalidate(tenantId, kind as DocumentType, id?.toLowerCase());
          else this.cache.invalidate(tenantId);
        },
        liveness: (live) => this.cache.setLive(live),
      },
      this.options.prefix,
    );
    if (this.closed) {
      await subscription.close();
      return;
    }
    this.subscription = subscription;
    this.cache.setLive(subscription.live);
  }

  /** Stops listening (the cache stops serving). */
  async close(): Promise<void> {
    this.closed = true;
    await this.subscription?.close();
    this.subscription = undefined;
    this.cache.setLive(false);
  }
}

/** The connections a service gives its {@link DocumentChangeBus}. */
export interface TenantBusConnections extends DocumentReadCacheOptions {
  /** This region's Redis (commands): notices are published here. */
  publisher: RedisPublisher;
  /** A second connection to the same Redis, used only in subscriber mode. */
  subscriber: RedisSubscriber;
  /** Channel prefix (tests: `redisTestPrefix()`; production: ''). */
  prefix?: string;
}

/** The lifecycle hooks of the Fastify app that owns a bus, and its metrics. */
interface HookTarget {
  addHook(name: 'onReady' | 'onClose', hook: () => Promise<void>): unknown;
  log: { warn(obj: object, msg: string): void };
  metrics?: MetricsRegistry;
}

/**
 * The read cache's metrics in the app's registry, read when scraped: how full it is (the memory a
 * process holds for it grows with it up to its bounds), whether it serves, and what it did.
 */
function registerCacheMetrics(registry: MetricsRegistry, cache: DocumentReadCache): void {
  scrapedGauge(
    registry,
    'rt_document_cache_entries',
    'Representations in the read cache',
    () => cache.size.entries,
  );
  scrapedGauge(
    registry,
    'rt_document_cache_bytes',
    'Bytes of bodies and keys in the read cache (approximate, with a fixed overhead per entry)',
    () => cache.size.bytes,
  );
  scrapedGauge(
    registry,
    'rt_document_cache_live',
    '1 while the read cache serves (its tenant-change bus is subscribed), else 0',
    () => (cache.isLive ? 1 : 0),
  );
  scrapedCounter(
    registry,
    'rt_document_cache_operations_total',
    'Read cache lookups and changes by outcome (hit, miss, store, refused, eviction, promotion from probation, readmission of a remembered key, invalidation)',
    'outcome',
    () => {
      const { hits, misses, stores, refused, evictions, promotions, readmissions, invalidations } =
        cache.stats;
      return {
        hit: hits,
        miss: misses,
        store: stores,
        refused,
        eviction: evictions,
        promotion: promotions,
        readmission: readmissions,
        invalidation: invalidations,
      };
    },
  );
}

/**
 * Creates a service's {@link DocumentChangeBus}: subscribed when the app is ready, closed with
 * it. Without connections there is no cache at all (reads always go to the database): a cache
 * that no notice can reach would serve another replica's replaced versions.
 */
export function attachDocumentChangeBus(
  app: HookTarget,
  connections: TenantBusConnections | undefined,
): DocumentChangeBus | undefined {
  if (!connections) return undefined;
  const bus = new DocumentChangeBus({ ...connections, logger: app.log });
  if (app.metrics) registerCacheMetrics(app.metrics, bus.cache);
  app.addHook('onReady', async () => {
    const subscribed = bus.subscribe(connections.subscriber).then(
      () => true,
      (err) => {
        app.log.warn({ err }, 'tenant-change bus not subscribed; reads go to the database');
        return false;
      },
    );
    // Start-up waits a little for Redis, not forever: until the subscription runs, reads simply
    // go to the database (the cache is not live).
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS);
    });
    if (!(await Promise.race([subscribed, waited]))) {
      app.log.warn({}, 'tenant-change bus not subscribed yet; the read cache serves once it is');
    }
    clearTimeout(timer);
  });
  app.addHook('onClose', () => bus.close());
  return bus;
}
