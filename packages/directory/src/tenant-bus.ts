import { type RedisPublisher, tenantChangedChannel } from './tenant-changed.js';

/**
 * Document-changed notices and the one subscriber of the tenant-change bus.
 *
 * The bus is Redis pub/sub on two channels: `tenant-changed` (a tenant row changed: home region,
 * freeze, install state, deletion — see `tenant-changed.ts`) and `document-changed` (a layout or
 * theme of a tenant was written). Readers that keep copies in memory (the routers' tenant
 * directory, the layout and theme services' read caches) drop them on receipt. Pub/sub delivers
 * at most once and only while connected, so {@link subscribeTenantBus} reports when the
 * subscription is down: a cache must not serve while it could be missing notices.
 */

/** The part of an ioredis client in subscriber mode that this module needs. */
export interface RedisSubscriber {
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: string[]) => void): unknown;
  off(event: string, listener: (...args: string[]) => void): unknown;
}

/** Redis pub/sub channel base name of document-changed notices. */
export const DOCUMENT_CHANGED_CHANNEL = 'rt:directory:document-changed';

/** The document-changed channel for a key prefix ('' in production; `redisTestPrefix()` in tests). */
export function documentChangedChannel(prefix = ''): string {
  return prefix ? `${prefix}:${DOCUMENT_CHANGED_CHANNEL}` : DOCUMENT_CHANGED_CHANNEL;
}

/**
 * A tenant's documents of one kind changed: with `id`, that one document (and so every read of
 * the kind that is not of one document: lists, resolutions); without, any of them, their lists,
 * their assignments.
 */
export interface DocumentChangedNotice {
  tenantId: string;
  /** Document kind (`layout`, `theme`). */
  kind: string;
  /** The one document that changed (its reads and the kind's collection reads are stale). */
  id?: string;
}

/** Longest document id a notice carries (ids are uuids); a longer one makes the notice kind-wide. */
const MAX_NOTICE_ID_LENGTH = 64;

/**
 * Tells every replica of the region to drop its cached reads of a tenant's documents of one kind.
 * Call it after the write's transaction has committed (before, a replica could reload the old
 * version and keep it). Returns the number of subscribers that received it.
 */
export function publishDocumentChanged(
  redis: RedisPublisher,
  notice: DocumentChangedNotice,
  prefix = '',
): Promise<number> {
  return redis.publish(
    documentChangedChannel(prefix),
    JSON.stringify({ t: notice.tenantId, k: notice.kind, ...(notice.id ? { d: notice.id } : {}) }),
  );
}

/** Parses a document-changed message; null for anything that is not one (never throws). */
export function parseDocumentChanged(message: string): DocumentChangedNotice | null {
  try {
    const parsed = JSON.parse(message) as { t?: unknown; k?: unknown; d?: unknown };
    if (typeof parsed?.t === 'string' && typeof parsed.k === 'string') {
      // An id that is not a plausible one is dropped: the notice then covers the whole kind,
      // which is always safe (never narrower than what changed).
      const id =
        typeof parsed.d === 'string' && parsed.d && parsed.d.length <= MAX_NOTICE_ID_LENGTH
          ? parsed.d
          : undefined;
      return { tenantId: parsed.t, kind: parsed.k, ...(id ? { id } : {}) };
    }
  } catch {
    // Not ours: ignored.
  }
  return null;
}

/** What a subscriber of the bus reacts to. */
export interface TenantBusHandlers {
  /** A tenant row changed (migration commit, deletion, uninstall…): drop everything of it. */
  tenantChanged?: (tenantId: string) => void;
  /** A tenant's documents of one kind changed. */
  documentChanged?: (notice: DocumentChangedNotice) => void;
  /**
   * The subscription went down (`live` false: notices may be missed from now on) or is back
   * and re-subscribed (`live` true: notices flow again; anything kept meanwhile is suspect).
   */
  liveness?: (live: boolean) => void;
}

/** A running subscription; {@link TenantBusSubscription.close} unsubscribes. */
export interface TenantBusSubscription {
  /** Whether notices are being received right now. */
  readonly live: boolean;
  close(): Promise<void>;
}

/**
 * Subscribes one Redis connection (in subscriber mode, not shared with commands) to the bus.
 * Resolves once the first attempt is answered (check `live`: a refused attempt is retried on
 * the connection's next `ready`). On a lost connection it reports `liveness(false)` at once; when the
 * connection is ready again it re-subscribes itself (ioredis's own re-subscription races the
 * `ready` event) and then reports `liveness(true)`.
 */
export async function subscribeTenantBus(
  subscriber: RedisSubscriber,
  handlers: TenantBusHandlers,
  prefix = '',
): Promise<TenantBusSubscription> {
  const tenantChannel = tenantChangedChannel(prefix);
  const documentChannel = documentChangedChannel(prefix);
  let live = false;
  let closed = false;
  const setLive = (next: boolean) => {
    if (live === next) return;
    live = next;
    handlers.liveness?.(next);
  };
  const onMessage = (channel: string, message: string) => {
    if (channel === tenantChannel) handlers.tenantChanged?.(message);
    else if (channel === documentChannel) {
      const notice = parseDocumentChanged(message);
      if (notice) handlers.documentChanged?.(notice);
    }
  };
  const onDown = () => setLive(false);
  const onReady = () => {
    if (closed) return;
    subscriber.subscribe(tenantChannel, documentChannel).then(
      () => {
        if (!closed) setLive(true);
      },
      // Still down: the next `ready` tries again.
      () => setLive(false),
    );
  };
  subscriber.on('message', onMessage);
  subscriber.on('close', onDown);
  subscriber.on('end', onDown);
  subscriber.on('ready', onReady);
  try {
    await subscriber.subscribe(tenantChannel, documentChannel);
    setLive(true);
  } catch {
    // Not subscribed (yet): the next `ready` subscribes and reports live.
  }
  return {
    get live() {
      return live;
    },
    async close() {
      closed = true;
      setLive(false);
      subscriber.off('message', onMessage);
      subscriber.off('close', onDown);
      subscriber.off('end', onDown);
      subscriber.off('ready', onReady);
      await subscriber.unsubscribe(tenantChannel, documentChannel).catch(() => undefined);
    },
  };
}
