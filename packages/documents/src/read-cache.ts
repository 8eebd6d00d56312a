import type { DocumentType } from './document-kind.js';

/** One cached representation: what a GET answers, ready to send. */
export interface CachedRepresentation {
  /** Strong entity tag, quoted. */
  etag: string;
  /**
   * The JSON body as sent, in UTF-8: kept as bytes, a hit is written to the socket as it is (a
   * string would be measured and encoded again on every answer). Null when the read found nothing
   * (cached "absent").
   */
  body: Buffer | null;
}

/**
 * A body as a cache keeps it: UTF-8 bytes in memory of their own. A small Buffer from Node's
 * shared pool (what `Buffer.from` and `Buffer.concat` give below 4 KiB) would keep its whole
 * 8 KiB slab alive for as long as the entry lives.
 */
export function cachedBytes(body: string | readonly Buffer[]): Buffer {
  if (typeof body === 'string') {
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(body));
    bytes.write(body);
    return bytes;
  }
  let length = 0;
  for (const chunk of body) length += chunk.length;
  const bytes = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const chunk of body) offset += chunk.copy(bytes, offset);
  return bytes;
}

/** Limits of a {@link DocumentReadCache}. */
export interface DocumentReadCacheOptions {
  /** Most representations kept (default 10 000). */
  maxEntries?: number;
  /** Most bytes of bodies and keys kept, approximately (default 32 MiB). */
  maxBytes?: number;
  /**
   * Share of both limits that entries not read since they were stored may take (default 0.2):
   * the probation segment. 1 turns segmentation off (one queue, as a plain second-chance LRU).
   */
  probationShare?: number;
  /**
   * Age after which an entry is reloaded (default 60 s): the backstop for a notice lost in a
   * failed publish while every subscription stayed up. Invalidation does not wait for it.
   */
  maxAgeMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Entry {
  tenantId: string;
  kind: DocumentType;
  key: string;
  /** The one document this read shows (a document by id); absent: a collection read. */
  doc: string | undefined;
  value: CachedRepresentation;
  bytes: number;
  storedAt: number;
  /** Read since it was stored or last passed over by eviction (its second chance). */
  used: boolean;
  /** In the protected segment (read at least once while on probation). */
  kept: boolean;
}

/** Fixed overhead counted per entry (objects, map slots), so tiny bodies still cost something. */
const ENTRY_OVERHEAD_BYTES = 160;
/** Tenants whose last invalidation is remembered before the memory is folded into one floor. */
const MAX_REMEMBERED_INVALIDATIONS = 10_000;

/**
 * Per-process cache of document reads (a document by id, a page of a list, a space's resolved
 * theme), owned by `@rt/documents` and used by the layout and theme services.
 *
 * - **Tenant first.** Entries live in a map per tenant, then per document kind, then per key;
 *   a lookup starts from the tenant id of the verified token, so no key of one tenant can ever
 *   reach another's entries (there is no flat key in which ids could collide).
 * - **Invalidation.** {@link invalidate} drops a tenant's entries of a kind (a write of that
 *   kind) or all of them (a tenant-level change). A write of ONE document that changes no other
 *   document's answer drops only that document's reads and the kind's collection reads (lists,
 *   resolutions): the other documents' entries stay. A read that started before an
 *   invalidation must not store what it read: it takes a {@link ticket} before loading and
 *   {@link store} refuses tickets older than the tenant's last invalidation.
 * - **Liveness.** While the tenant-change bus is down ({@link setLive} false) nothing is served
 *   or stored: another replica's write could not reach this one.
 * - **Bounded.** Least recently used entries go first beyond `maxEntries` or `maxBytes` (second
 *   chance: a hit only marks its entry, and a marked entry at the head of the queue goes back to
 *   its tail once, unmarked — no reordering on the read path); an entry older than `maxAgeMs` is
 *   reloaded.
 * - **Segmented** (SLRU, Karedla, Love and Wherry, "Caching strategies to improve disk system
 *   performance", IEEE Computer 27(3), 1994). A stored entry starts on probation, a queue held to
 *   `probationShare` of both limits; it moves to the protected queue only if it is read before it
 *   reaches the head of probation, and is dropped otherwise. Reads of documents nobody reads
 *   again (an export, a crawler, a page of an old layout opened once) pass through probation
 *   without pushing out the documents page views read all the time, and the memory the cache
 *   holds follows the documents read more than once, not every document ever read.
 * - **Remembered keys** (2Q's "A1out", Johnson and Shasha, VLDB 1994). Probation alone would
 *   keep a document only if it is read again before probation turns over (2 000 stores with the
 *   defaults): 5 000 tenants whose pages each read their layout once a minute would never be
 *   served from a cache that has room for all of them. So the keys (never the bodies) of entries
 *   dropped from probation unread are remembered, half as many as `maxEntries` (2Q's figure),
 *   oldest forgotten first; a key stored again while remembered goes straight to the protected
 *   queue. A key only decides where an entry goes, never what is served.
 */
export class DocumentReadCache {
  private readonly tenants = new Map<string, Map<DocumentType, Map<string, Entry>>>();
  /** Entries not read since they were stored, oldest first (a Set keeps insertion order). */
  private readonly probation = new Set<Entry>();
  /** Entries read while on probation, oldest first; see `used` for later hits. */
  private readonly protected = new Set<Entry>();
  /** Keys of entries dropped from probation unread, oldest first (see {@link ghostKey}). */
  private readonly ghosts = new Set<number>();
  private readonly maxGhosts: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly probationEntries: number;
  private readonly probationMaxBytes: number;
  private probationBytes = 0;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private bytes = 0;
  private live = true;
  /** Monotonic clock of invalidations; tickets are readings of it. */
  private clock = 0;
  /** tenant → clock value of its last invalidation. */
  private readonly invalidatedAt = new Map<string, number>();
  /** Tickets below this are refused for every tenant (a clear, or forgotten invalidations). */
  private floor = 0;
  /** Loads in flight, per tenant then kind + key, with the ticket they started with. */
  private readonly inflight = new Map<
    string,
    Map<string, { ticket: number; promise: Promise<CachedRepresentation> }>
  >();
  /** Counters for tests and metrics. */
  readonly stats = {
    hits: 0,
    misses: 0,
    joined: 0,
    stores: 0,
    /** Stores of a remembered key, straight into the protected queue. */
    readmissions: 0,
    refused: 0,
    evictions: 0,
    promotions: 0,
    invalidations: 0,
  };

  constructor(options: DocumentReadCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.maxBytes = Math.max(1024, options.maxBytes ?? 32 * 1024 * 1024);
    const probationShare = Math.min(1, Math.max(0, options.probationShare ?? 0.2));
    this.probationEntries = Math.max(1, Math.ceil(this.maxEntries * probationShare));
    this.probationMaxBytes = Math.max(1024, this.maxBytes * probationShare);
    // 2Q's recommendation for its ghost queue: half as many keys as the cache holds entries.
    this.maxGhosts = probationShare < 1 ? Math.floor(this.maxEntries / 2) : 0;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Entries and approximate bytes held now, and the entries of each segment. */
  get size(): { entries: number; bytes: number; probation: number; protected: number } {
    const probation = this.probation.size;
    const kept = this.protected.size;
    return { entries: probation + kept, bytes: this.bytes, probation, protected: kept };
  }

  /** Whether the cache serves and stores (false while the bus is down). */
  get isLive(): boolean {
    return this.live;
  }

  /** The cached representation of `key`, or undefined. */
  get(tenantId: string, kind: DocumentType, key: string): CachedRepresentation | undefined {
    if (!this.live) return undefined;
    const entry = this.tenants.get(tenantId)?.get(kind)?.get(key);
    if (!entry || entry.tenantId !== tenantId || this.now() - entry.storedAt > this.maxAgeMs) {
      if (entry) this.remove(entry);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    entry.used = true;
    return entry.value;
  }

  /**
   * The cached representation, else the result of `loader` — shared by every request for the
   * same key that arrives while it runs, so a burst of reads after a write costs one query.
   * A request never joins a load that started before the tenant's last invalidation (it would
   * miss the writer's own change); such a request starts its own.
   */
  async read(
    tenantId: string,
    kind: DocumentType,
    key: string,
    loader: () => Promise<CachedRepresentation>,
    doc?: string,
  ): Promise<CachedRepresentation> {
    const cached = this.get(tenantId, kind, key);
    if (cached) return cached;
    if (!this.live) return loader();
    const flightKey = `${kind}\u0000${key}`;
    let flights = this.inflight.get(tenantId);
    const running = flights?.get(flightKey);
    if (running && running.ticket >= this.invalidationMark(tenantId)) {
      this.stats.joined++;
      return running.promise;
    }
    const ticket = this.ticket();
    const promise = loader().then((value) => {
      this.store(tenantId, kind, key, value, ticket, doc);
      return value;
    });
    const flight = { ticket, promise };
    if (!flights) {
      flights = new Map();
      this.inflight.set(tenantId, flights);
    }
    flights.set(flightKey, flight);
    const settle = () => {
      const current = this.inflight.get(tenantId);
      if (current?.get(flightKey) === flight) {
        current.delete(flightKey);
        if (current.size === 0) this.inflight.delete(tenantId);
      }
    };
    promise.then(settle, settle);
    return promise;
  }

  /** Tickets below this are stale for the tenant. */
  private invalidationMark(tenantId: string): number {
    return Math.max(this.floor, this.invalidatedAt.get(tenantId) ?? 0);
  }

  /** Take before loading from the database; pass to {@link store}. */
  ticket(): number {
    return this.clock;
  }

  /**
   * Keeps a loaded representation unless the tenant was invalidated since `ticket`. `doc` names
   * the one document the read shows (a document by id), for {@link invalidate} of one document.
   */
  store(
    tenantId: string,
    kind: DocumentType,
    key: string,
    value: CachedRepresentation,
    ticket: number,
    doc?: string,
  ): void {
    if (!this.live || ticket < this.invalidationMark(tenantId)) {
      this.stats.refused++;
      return;
    }
    const bytes = ENTRY_OVERHEAD_BYTES + key.length + value.etag.length + (value.body?.length ?? 0);
    // One huge document must not flush everything else, and every entry fits on probation.
    if (bytes > Math.min(this.maxBytes / 4, this.probationMaxBytes)) return;
    const previous = this.tenants.get(tenantId)?.get(kind)?.get(key);
    if (previous) this.remove(previous);
    const ghost = this.ghosts.size > 0 ? ghostKey(tenantId, kind, key) : undefined;
    const readmitted = ghost !== undefined && this.ghosts.delete(ghost);
    if (!readmitted) this.makeRoom(bytes, 1);
    let kinds = this.tenants.get(tenantId);
    if (!kinds) {
      kinds = new Map();
      this.tenants.set(tenantId, kinds);
    }
    let entries = kinds.get(kind);
    if (!entries) {
      entries = new Map();
      kinds.set(kind, entries);
    }
    const entry: Entry = {
      tenantId,
      kind,
      key,
      doc,
      value,
      bytes,
      storedAt: this.now(),
      used: false,
      kept: readmitted,
    };
    entries.set(key, entry);
    this.bytes += bytes;
    this.stats.stores++;
    if (readmitted) {
      this.protected.add(entry);
      this.stats.readmissions++;
      this.makeRoom(0, 0);
    } else {
      this.probation.add(entry);
      this.probationBytes += bytes;
    }
  }

  /**
   * Room for `entries` more entries of `bytes` on probation (1 before a store onto probation, 0
   * after one into the protected queue), never by dropping an entry being stored onto probation
   * (it is added after). The protected queue holds the rest of both limits: beyond it, its oldest
   * entry goes back to probation (to its tail, unmarked) unless it was read again, so the two
   * queues together stay within `maxEntries` and `maxBytes`. Every step clears a mark, moves an
   * unmarked entry towards probation's head or drops one, so the loop ends. Eviction drops maps
   * that become empty, so the caller looks the tenant's maps up after this.
   */
  private makeRoom(bytes: number, entries: number): void {
    for (;;) {
      while (
        this.protected.size > this.maxEntries - this.probationEntries ||
        this.bytes - this.probationBytes > this.maxBytes - this.probationMaxBytes
      ) {
        const oldest = this.protected.values().next().value as Entry;
        this.protected.delete(oldest);
        if (oldest.used) {
          oldest.used = false; // its second chance
          this.protected.add(oldest);
        } else {
          oldest.kept = false;
          this.probation.add(oldest);
          this.probationBytes += oldest.bytes;
        }
      }
      if (
        this.probation.size === 0 ||
        (this.probation.size + entries <= this.probationEntries &&
          this.probationBytes + bytes <= this.probationMaxBytes)
      )
        return;
      const oldest = this.probation.values().next().value as Entry;
      if (oldest.used) this.promote(oldest);
      else this.evict(oldest);
    }
  }

  /** From probation to the protected queue's tail, unmarked. */
  private promote(entry: Entry): void {
    this.probation.delete(entry);
    this.probationBytes -= entry.bytes;
    entry.used = false;
    entry.kept = true;
    this.protected.add(entry);
    this.stats.promotions++;
  }

  /** Drops an unread entry from probation's head, remembering its key. */
  private evict(entry: Entry): void {
    this.remove(entry);
    this.stats.evictions++;
    if (this.maxGhosts === 0) return;
    const ghost = ghostKey(entry.tenantId, entry.kind, entry.key);
    this.ghosts.delete(ghost);
    this.ghosts.add(ghost);
    if (this.ghosts.size > this.maxGhosts) this.ghosts.delete(this.ghosts.values().next().value as number);
  }

  /**
   * Drops the tenant's entries of `kind`, or all of the tenant's entries without a kind. With
   * `doc` (and a kind), only the reads of that document and the kind's collection reads go.
   * Reads of the tenant in flight are refused either way (coarse, always safe).
   */
  invalidate(tenantId: string, kind?: DocumentType, doc?: string): void {
    this.stats.invalidations++;
    this.clock++;
    this.invalidatedAt.set(tenantId, this.clock);
    if (this.invalidatedAt.size > MAX_REMEMBERED_INVALIDATIONS) {
      // Forget individual tenants: every read in flight now is refused, which is always safe.
      this.invalidatedAt.clear();
      this.floor = this.clock + 1;
      this.clock++;
    }
    const kinds = this.tenants.get(tenantId);
    if (!kinds) return;
    const doomed =
      kind === undefined ? [...kinds.values()] : [kinds.get(kind)].filter((m) => m !== undefined);
    for (const entries of doomed)
      for (const entry of [...entries.values()])
        if (kind === undefined || doc === undefined || entry.doc === undefined || entry.doc === doc)
          this.remove(entry);
  }

  /** Drops everything and refuses every read in flight. */
  clear(): void {
    this.clock++;
    this.floor = this.clock;
    this.invalidatedAt.clear();
    this.tenants.clear();
    this.probation.clear();
    this.protected.clear();
    this.ghosts.clear();
    this.bytes = 0;
    this.probationBytes = 0;
  }

  /**
   * Switches serving on or off with the bus: going down clears at once (a notice may be missed
   * from now on); coming back clears again, since reads stored in between may already be stale.
   */
  setLive(live: boolean): void {
    this.clear();
    this.live = live;
  }

  private remove(entry: Entry): void {
    const kinds = this.tenants.get(entry.tenantId);
    const entries = kinds?.get(entry.kind);
    if (entries?.get(entry.key) === entry) {
      entries.delete(entry.key);
      if (entries.size === 0) kinds?.delete(entry.kind);
      if (kinds?.size === 0) this.tenants.delete(entry.tenantId);
    }
    if (entry.kept ? this.protected.delete(entry) : this.probation.delete(entry)) {
      this.bytes -= entry.bytes;
      if (!entry.kept) this.probationBytes -= entry.bytes;
    }
  }
}

/**
 * A remembered key: a 32-bit FNV-1a hash of tenant id, kind and key. A hash, not the string: a
 * key can be as long as a URL, and 5 000 of them must not cost more than the entries' own bytes.
 * Two keys with one hash only ever mean an entry placed in the protected queue instead of on
 * probation; what is served is always looked up by tenant, kind and key.
 */
function ghostKey(tenantId: string, kind: DocumentType, key: string): number {
  let hash = 0x811c9dc5;
  for (const part of [tenantId, kind, key]) {
    for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ part.length, 0x01000193); // where one part ends and the next starts
  }
  return hash >>> 0;
}
