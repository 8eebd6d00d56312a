// Pure helpers of the operator console (no DOM): token claims, roles, progress, ETA, formatting.
// Plain ES module so the browser loads it as is and the unit tests import it in Node.

/** Operator roles, each including the ones before it (as the ops API enforces them). */
export const ROLES = ['viewer', 'migrator', 'admin'];

/** Migration states after which nothing changes any more. */
export const TERMINAL_STATES = ['committed', 'rolled_back', 'cancelled', 'failed'];

/**
 * Reads the claims of a JWT without verifying it. The console only uses them to decide which
 * buttons to show; the ops API verifies the token on every call.
 * @param {string} token
 * @returns {{sub?: string, role?: string, roles?: string[], exp?: number} | null}
 */
export function decodeClaims(token) {
  const part = String(token).trim().split('.')[1];
  if (!part) return null;
  try {
    const b64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const json = decodeURIComponent(
      Array.from(atob(b64), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/**
 * The highest known role in the claims (`roles` array or `role` string); `viewer` when none is
 * recognisable, so an unknown token never shows actions.
 * @param {{role?: unknown, roles?: unknown} | null} claims
 */
export function roleOf(claims) {
  const claimed = [
    ...(Array.isArray(claims?.roles) ? claims.roles : []),
    ...(typeof claims?.role === 'string' ? [claims.role] : []),
  ];
  let best = -1;
  for (const r of claimed) best = Math.max(best, ROLES.indexOf(r));
  return best < 0 ? 'viewer' : ROLES[best];
}

/** True when `role` includes `required`. */
export const can = (role, required) => ROLES.indexOf(role) >= ROLES.indexOf(required);

/**
 * Fraction 0–1 of a migration's copy, from the best counter it reports (bytes, then objects, then
 * rows), or undefined when there is none yet.
 * @param {{state?: string, percent?: number, progress?: any}} m
 */
export function fractionOf(m) {
  if (m.state === 'ready_to_commit' || m.state === 'committed') return 1;
  const p = m.progress ?? {};
  for (const c of [p.bytes, p.objects, p.rows]) {
    if (c && Number(c.total) > 0) return Math.min(1, Number(c.done) / Number(c.total));
  }
  return typeof m.percent === 'number' ? m.percent / 100 : undefined;
}

/**
 * Tracks progress samples per migration and estimates the time left from the recent rate
 * (a sliding window, so a stall shows up as a growing ETA instead of an old optimistic one).
 */
export class EtaTracker {
  /** @param {number} windowMs */
  constructor(windowMs = 120_000) {
    this.windowMs = windowMs;
    /** @type {Map<string, {t: number, f: number}[]>} */
    this.samples = new Map();
  }

  /**
   * Records a sample and returns the estimated milliseconds left: a number, `0` when done, or
   * undefined while unknown (fewer than two samples or no movement yet).
   * @param {string} id @param {number | undefined} fraction @param {number} now
   */
  update(id, fraction, now = Date.now()) {
    if (fraction === undefined) return undefined;
    if (fraction >= 1) {
      this.samples.delete(id);
      return 0;
    }
    const list = this.samples.get(id) ?? [];
    const last = list[list.length - 1];
    if (!last || last.f !== fraction || now - last.t > this.windowMs / 4) list.push({ t: now, f: fraction });
    while (list.length > 2 && now - list[0].t > this.windowMs) list.shift();
    this.samples.set(id, list);
    return this.estimate(id, now);
  }

  /** @param {string} id @param {number} now */
  estimate(id, now = Date.now()) {
    const list = this.samples.get(id);
    if (!list || list.length < 2) return undefined;
    const first = list[0];
    const last = list[list.length - 1];
    const rate = (last.f - first.f) / Math.max(1, last.t - first.t);
    if (!(rate > 0)) return undefined;
    // Time since the last sample already passed at that rate.
    return Math.max(0, (1 - last.f) / rate - (now - last.t));
  }
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** 95_000 → "1 min 35 s"; undefined → "—". */
export function formatDuration(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "in 25 days" / "3 hours ago" relative to now. */
export function formatRelative(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diff = t - now;
  const abs = Math.abs(diff);
  const units = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [name, size] of units) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      const label = `${n} ${name}${n === 1 ? '' : 's'}`;
      return diff >= 0 ? `in ${label}` : `${label} ago`;
    }
  }
  return diff >= 0 ? 'in under a minute' : 'just now';
}

/** "1,240 / 2,000" for a {done,total} counter. */
export function formatCounter(c, format = (n) => n.toLocaleString('en')) {
  if (!c || typeof c.total !== 'number') return '—';
  return `${format(c.done ?? 0)} / ${format(c.total)}`;
}
