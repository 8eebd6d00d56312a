// Operator console: one page, no framework. Every data call goes to the ops API with the
// operator's bearer token (kept in sessionStorage only); the page itself is static.
import {
  can,
  decodeClaims,
  EtaTracker,
  formatBytes,
  formatCounter,
  formatDuration,
  formatRelative,
  fractionOf,
  roleOf,
  TERMINAL_STATES,
} from './model.js';

const API = document.querySelector('meta[name="rt-ops-api"]')?.getAttribute('content') || '/ops/v1';
const TOKEN_KEY = 'rt-ops-token';
const FAST_POLL_MS = 2000;
const SLOW_POLL_MS = 15000;

const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

class OpsApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || `HTTP_${status}`;
    this.requestId = body?.requestId;
  }
}

const session = {
  token: null,
  claims: null,
  role: 'viewer',
};

async function api(method, path, body) {
  const token = session.token;
  const res = await fetch(`${API}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    // Only a refusal of the session still signed in signs it out: the view a sign-in opens asks
    // the API too, and its late 401 must not replace the sign-in's own, more precise error.
    if (res.status === 401 && token && token === session.token)
      signOut('Your operator token was refused (expired or invalid). Sign in again.');
    throw new OpsApiError(res.status, json);
  }
  return json;
}

const itemsOf = (body) => (Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : []);

let statusTimer;
function announce(message, kind = 'ok') {
  const el = $('status');
  el.className = `status ${kind}`;
  el.textContent = message;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    el.textContent = '';
  }, 6000);
}
const describeError = (err) =>
  err instanceof OpsApiError
    ? `${err.message} (${err.code}${err.requestId ? `, request ${err.requestId}` : ''})`
    : String(err?.message || err);

// ---------------------------------------------------------------- confirmation dialog

/**
 * Asks for confirmation in a modal dialog; resolves with the form values, or null when cancelled.
 * @param {{title: string, text: string, ok: string, danger?: boolean, fields?: HTMLElement[]}} opts
 */
function confirmAction(opts) {
  const dialog = $('confirm');
  $('confirm-title').textContent = opts.title;
  $('confirm-text').textContent = opts.text;
  const fields = $('confirm-fields');
  fields.replaceChildren(...(opts.fields ?? []));
  const ok = $('confirm-ok');
  ok.textContent = opts.ok;
  ok.className = opts.danger ? 'danger primary' : 'primary';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        if (dialog.returnValue !== 'ok') return resolve(null);
        resolve(Object.fromEntries(new FormData($('confirm-form')).entries()));
      },
      { once: true },
    );
    dialog.showModal();
    (opts.fields?.length ? fields.querySelector('select, input') : $('confirm-cancel'))?.focus();
  });
}

// ---------------------------------------------------------------- state

const state = {
  view: 'tenants',
  tenants: [],
  sizes: new Map(),
  regions: new Set(),
  migrations: [],
  detailId: null,
  detail: null,
  deletions: [],
  audit: [],
  auditCursor: null,
  auditAvailable: true,
  pollTimer: null,
};
const eta = new EtaTracker();

const stateBadge = (s) => {
  const kind = ['committed', 'active', 'done', 'ok'].includes(s)
    ? 'ok'
    : ['failed', 'error', 'denied', 'deleted'].includes(s)
      ? 'bad'
      : ['cancelled', 'rolled_back', 'disabled', 'uninstalled'].includes(s)
        ? 'idle'
        : ['ready_to_commit', 'pending'].includes(s)
          ? 'warn'
          : 'busy';
  return h('span', { class: `badge ${kind}` }, String(s).replace(/_/g, ' '));
};
const when = (iso) =>
  iso ? h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, formatRelative(iso)) : '—';
const tenantKey = (tenantId) => state.tenants.find((t) => t.id === tenantId)?.clientKey;
const emptyRow = (cols, text) => h('tr', {}, h('td', { colspan: cols, class: 'empty' }, text));

// ---------------------------------------------------------------- tenants

async function loadTenants() {
  const params = new URLSearchParams({ limit: '200' });
  if ($('tenant-region').value) params.set('region', $('tenant-region').value);
  if ($('tenant-state').value) params.set('state', $('tenant-state').value);
  state.tenants = itemsOf(await api('GET', `/tenants?${params}`));
  for (const t of state.tenants) state.regions.add(t.homeRegion);
  renderRegionFilter();
  renderTenants();
  // Sizes come from the per-tenant endpoint (it counts rows and objects in the home region);
  // fetched a few at a time for the visible page.
  const queue = state.tenants.filter((t) => !state.sizes.has(t.clientKey)).slice(0, 50);
  const worker = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      try {
        const d = await api('GET', `/tenants/${encodeURIComponent(t.clientKey)}`);
        state.sizes.set(t.clientKey, d.size ?? null);
      } catch {
        state.sizes.set(t.clientKey, null);
      }
      renderTenants();
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

function renderRegionFilter() {
  const select = $('tenant-region');
  const current = select.value;
  const known = new Set([...select.options].map((o) => o.value));
  for (const r of [...state.regions].sort()) if (!known.has(r)) select.append(h('option', { value: r }, r));
  select.value = current;
}

function renderTenants() {
  const body = $('tenants-body');
  if (!state.tenants.length) return body.replaceChildren(emptyRow(8, 'No tenants match.'));
  body.replaceChildren(
    ...state.tenants.map((t) => {
      const size = state.sizes.get(t.clientKey);
      const loading = !state.sizes.has(t.clientKey);
      const active = state.migrations.some((m) => m.tenantId === t.id && !TERMINAL_STATES.includes(m.state));
      const actions = [];
      if (can(session.role, 'migrator') && t.state === 'active') {
        actions.push(
          h(
            'button',
            {
              type: 'button',
              disabled: active || undefined,
              'aria-label': `Migrate ${t.clientKey}`,
              onclick: () => startMigration(t),
            },
            'Migrate…',
          ),
        );
      }
      if (can(session.role, 'admin') && (t.state === 'uninstalled' || t.state === 'disabled')) {
        actions.push(
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Purge ${t.clientKey}`,
              onclick: () => purge(t.clientKey),
            },
            'Purge…',
          ),
        );
      }
      return h(
        'tr',
        { 'data-tenant': t.clientKey },
        h('td', { class: 'mono' }, t.clientKey),
        h(
          'td',
          {},
          t.homeRegion,
          t.frozenByMigration
            ? h('span', { class: 'badge warn', title: 'writes frozen by a migration' }, ' frozen')
            : '',
        ),
        h('td', {}, stateBadge(t.state)),
        h('td', { class: 'num' }, loading ? '…' : size ? size.rows.toLocaleString('en') : '—'),
        h(
          'td',
          { class: 'num' },
          loading ? '…' : typeof size?.objects === 'number' ? size.objects.toLocaleString('en') : '—',
        ),
        h('td', { class: 'num' }, loading ? '…' : size ? formatBytes(size.bytes) : '—'),
        h('td', {}, when(t.installedAt)),
        h('td', { class: 'actions' }, actions),
      );
    }),
  );
}

async function startMigration(tenant) {
  const regions = [...new Set([...state.regions, 'EU', 'US'])].filter((r) => r !== tenant.homeRegion).sort();
  const values = await confirmAction({
    title: `Migrate ${tenant.clientKey}`,
    text: `Copies the tenant's layouts, themes and assets from ${tenant.homeRegion} to the target region. Writes are frozen while the delta is copied and verified.`,
    ok: 'Start migration',
    fields: [
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'target-region' }, 'Target region'),
        h(
          'select',
          { id: 'target-region', name: 'targetRegion', required: true },
          ...regions.map((r) => h('option', { value: r }, r)),
        ),
      ),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'autoCommit', value: 'true', checked: true }),
        'Commit automatically once verified',
      ),
    ],
  });
  if (!values) return;
  try {
    const m = await api('POST', '/migrations', {
      clientKey: tenant.clientKey,
      targetRegion: values.targetRegion,
      autoCommit: values.autoCommit === 'true',
    });
    announce(`Migration of ${tenant.clientKey} to ${values.targetRegion} started.`);
    state.detailId = m.id;
    location.hash = '#/migrations';
  } catch (err) {
    announce(`Could not start the migration: ${describeError(err)}`, 'bad');
  }
}

async function purge(clientKey) {
  const values = await confirmAction({
    title: `Purge ${clientKey}`,
    text: `Deletes every row and object of ${clientKey} in every region now, instead of at the scheduled date. This cannot be undone.`,
    ok: 'Purge now',
    danger: true,
  });
  if (!values) return;
  try {
    await api('POST', `/tenants/${encodeURIComponent(clientKey)}/purge`);
    announce(`Purge of ${clientKey} queued.`);
    await refresh();
  } catch (err) {
    announce(`Could not purge: ${describeError(err)}`, 'bad');
  }
}

// ---------------------------------------------------------------- migrations

async function loadMigrations() {
  state.migrations = itemsOf(await api('GET', '/migrations?limit=100'));
  if (!state.tenants.length) state.tenants = itemsOf(await api('GET', '/tenants?limit=200')).map((t) => t);
  if (state.detailId) state.detail = await api('GET', `/migrations/${state.detailId}`);
  renderMigrations();
}

function progressCell(m, fraction) {
  const pct = fraction === undefined ? 0 : Math.floor(fraction * 100);
  const phase = m.progress?.phase ?? m.state;
  return h(
    'td',
    {},
    h('progress', { max: 100, value: pct, 'aria-label': `${tenantKey(m.tenantId) ?? m.tenantId}: ${pct}%` }),
    h('span', { class: 'pct' }, `${pct}%`),
    h('div', { class: 'muted' }, h('small', {}, String(phase).replace(/_/g, ' '))),
  );
}

function renderMigrations() {
  const body = $('migrations-body');
  const now = Date.now();
  const rows = state.migrations.map((m) => {
    const live = state.detail?.id === m.id ? { ...m, ...state.detail } : m;
    const fraction = fractionOf(live);
    const left = TERMINAL_STATES.includes(live.state) ? 0 : eta.update(live.id, fraction, now);
    const p = live.progress ?? {};
    const actions = [
      h(
        'button',
        {
          type: 'button',
          class: 'quiet',
          'aria-label': `Details of the migration of ${tenantKey(live.tenantId) ?? live.tenantId}`,
          onclick: () => showDetail(live.id),
        },
        'Details',
      ),
    ];
    if (can(session.role, 'migrator') && live.state === 'ready_to_commit') {
      actions.push(
        h('button', { type: 'button', class: 'primary', onclick: () => commitMigration(live) }, 'Commit…'),
      );
    }
    if (can(session.role, 'migrator') && !TERMINAL_STATES.includes(live.state)) {
      actions.push(
        h('button', { type: 'button', class: 'danger', onclick: () => cancelMigration(live) }, 'Cancel…'),
      );
    }
    return h(
      'tr',
      { 'data-migration': live.id, 'data-state': live.state },
      h('td', { class: 'mono' }, tenantKey(live.tenantId) ?? live.tenantId),
      h('td', {}, `${live.sourceRegion} → ${live.targetRegion}`),
      h('td', {}, stateBadge(live.state)),
      progressCell(live, fraction),
      h('td', { class: 'num' }, formatCounter(p.rows)),
      h('td', { class: 'num' }, formatCounter(p.objects)),
      h('td', { class: 'num' }, formatCounter(p.bytes, formatBytes)),
      h(
        'td',
        { class: 'eta' },
        TERMINAL_STATES.includes(live.state) || live.state === 'ready_to_commit'
          ? '—'
          : left === undefined
            ? 'estimating…'
            : formatDuration(left),
      ),
      h('td', {}, when(live.createdAt)),
      h('td', { class: 'actions' }, actions),
    );
  });
  body.replaceChildren(...(rows.length ? rows : [emptyRow(10, 'No migrations yet.')]));
  $('migrations-live').textContent = state.migrations.some((m) => !TERMINAL_STATES.includes(m.state))
    ? 'live'
    : '';
  renderDetail();
}

function renderValue(v, key = '') {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') {
    return h(
      'dl',
      {},
      ...Object.entries(v).flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, renderValue(val, k))]),
    );
  }
  if (typeof v === 'number' && /bytes$/i.test(key)) return `${formatBytes(v)} (${v.toLocaleString('en')})`;
  if (typeof v === 'string' && /At$/.test(key) && !Number.isNaN(Date.parse(v)))
    return new Date(v).toLocaleString();
  return typeof v === 'number' ? v.toLocaleString('en') : String(v);
}

function renderDetail() {
  const box = $('migration-detail');
  const d = state.detail;
  if (!d) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    h('h3', {}, `Migration of ${tenantKey(d.tenantId) ?? d.tenantId}: ${d.sourceRegion} → ${d.targetRegion}`),
    h(
      'dl',
      {},
      h('dt', {}, 'State'),
      h('dd', {}, stateBadge(d.state)),
      h('dt', {}, 'Origin'),
      h('dd', {}, `${d.origin}${d.requestedBy ? ` (${d.requestedBy})` : ''}`),
      h('dt', {}, 'Auto-commit'),
      h('dd', {}, d.autoCommit ? 'yes' : 'no'),
      h('dt', {}, 'Deadline'),
      h('dd', {}, when(d.deadlineAt)),
      d.errorCode ? [h('dt', {}, 'Error'), h('dd', {}, `${d.errorCode}: ${d.errorMessage ?? ''}`)] : [],
    ),
    h('h4', {}, 'Report'),
    d.report
      ? h('div', { class: 'report', 'data-report': '' }, renderValue(d.report))
      : h('p', { class: 'muted' }, 'No report yet (written once the copy is verified).'),
    h('h4', {}, 'Events'),
    h(
      'ol',
      { class: 'events' },
      ...(d.events ?? []).map((e) =>
        h(
          'li',
          {},
          h('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()),
          ' ',
          `${e.fromState ?? '—'} → ${e.toState}`,
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'quiet',
        onclick: () => {
          state.detailId = null;
          state.detail = null;
          renderDetail();
        },
      },
      'Close details',
    ),
  );
}

async function showDetail(id) {
  state.detailId = id;
  try {
    state.detail = await api('GET', `/migrations/${id}`);
    renderMigrations();
    $('migration-detail').querySelector('h3')?.setAttribute('tabindex', '-1');
    $('migration-detail').querySelector('h3')?.focus();
  } catch (err) {
    announce(`Could not load the migration: ${describeError(err)}`, 'bad');
  }
}

async function cancelMigration(m) {
  const key = tenantKey(m.tenantId) ?? m.tenantId;
  const ok = await confirmAction({
    title: `Cancel the migration of ${key}`,
    text: `The tenant stays in ${m.sourceRegion} and is unfrozen; the partial copy in ${m.targetRegion} is deleted.`,
    ok: 'Cancel migration',
    danger: true,
  });
  if (!ok) return;
  try {
    await api('POST', `/migrations/${m.id}/cancel`);
    announce(`Migration of ${key} cancelled.`);
    await refresh();
  } catch (err) {
    announce(`Could not cancel: ${describeError(err)}`, 'bad');
  }
}

async function commitMigration(m) {
  const key = tenantKey(m.tenantId) ?? m.tenantId;
  const ok = await confirmAction({
    title: `Commit the migration of ${key}`,
    text: `The tenant's home becomes ${m.targetRegion}; the copy in ${m.sourceRegion} is queued for deletion.`,
    ok: 'Commit',
  });
  if (!ok) return;
  try {
    await api('POST', `/migrations/${m.id}/commit`);
    announce(`Migration of ${key} committed.`);
    await refresh();
  } catch (err) {
    announce(`Could not commit: ${describeError(err)}`, 'bad');
  }
}

// ---------------------------------------------------------------- deletions

async function loadDeletions() {
  state.deletions = itemsOf(await api('GET', '/deletions?limit=200'));
  const body = $('deletions-body');
  if (!state.deletions.length) return body.replaceChildren(emptyRow(8, 'No deletions scheduled.'));
  const sorted = [...state.deletions].sort((a, b) => {
    const rank = (d) => (d.state === 'pending' || d.state === 'running' ? 0 : 1);
    return (
      rank(a) - rank(b) ||
      (rank(a) === 0 ? Date.parse(a.dueAt) - Date.parse(b.dueAt) : Date.parse(b.dueAt) - Date.parse(a.dueAt))
    );
  });
  body.replaceChildren(
    ...sorted.map((d) =>
      h(
        'tr',
        { 'data-deletion': d.id },
        h('td', { class: 'mono' }, d.clientKey),
        h('td', {}, d.reason),
        h(
          'td',
          {},
          stateBadge(d.state),
          d.lastError ? h('div', {}, h('small', { class: 'error' }, d.lastError)) : '',
        ),
        h('td', {}, when(d.uninstalledAt)),
        h(
          'td',
          {},
          d.dueAt
            ? [
                h('time', { datetime: d.dueAt }, new Date(d.dueAt).toISOString().slice(0, 10)),
                ' ',
                h('small', {}, `(${formatRelative(d.dueAt)})`),
              ]
            : '—',
        ),
        h(
          'td',
          {},
          h('progress', {
            max: 100,
            value: d.percent ?? 0,
            'aria-label': `${d.clientKey}: ${d.percent ?? 0}%`,
          }),
          h('span', { class: 'pct' }, `${d.percent ?? 0}%`),
        ),
        h('td', { class: 'num' }, d.attempts ?? 0),
        h(
          'td',
          { class: 'actions' },
          can(session.role, 'admin') && d.state === 'pending'
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `Purge ${d.clientKey} now`,
                  onclick: () => purge(d.clientKey),
                },
                'Purge now…',
              )
            : '',
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- audit

async function loadAudit(more = false) {
  const body = $('audit-body');
  try {
    const params = new URLSearchParams({ limit: '100' });
    if (more && state.auditCursor) params.set('before', state.auditCursor);
    const res = await api('GET', `/audit?${params}`);
    state.audit = more ? [...state.audit, ...itemsOf(res)] : itemsOf(res);
    state.auditCursor = res?.nextCursor ?? null;
  } catch (err) {
    if (err instanceof OpsApiError && err.status === 404) {
      body.replaceChildren(emptyRow(6, 'The ops API of this deployment has no audit endpoint.'));
      return;
    }
    throw err;
  }
  $('audit-more').hidden = !state.auditCursor;
  if (!state.audit.length) return body.replaceChildren(emptyRow(6, 'No operator actions recorded.'));
  body.replaceChildren(
    ...state.audit.map((a) =>
      h(
        'tr',
        {},
        h('td', {}, when(a.at)),
        h('td', {}, a.subject),
        h('td', {}, a.role),
        h('td', { class: 'mono' }, a.action),
        h('td', { class: 'mono' }, a.target ?? '—'),
        h('td', {}, stateBadge(a.outcome)),
      ),
    ),
  );
}

// ---------------------------------------------------------------- navigation, polling

const loaders = {
  tenants: loadTenants,
  migrations: loadMigrations,
  deletions: loadDeletions,
  audit: () => loadAudit(),
};

async function refresh() {
  clearTimeout(state.pollTimer);
  try {
    await loaders[state.view]();
  } catch (err) {
    if (session.token) announce(`Could not load ${state.view}: ${describeError(err)}`, 'bad');
  }
  if (!session.token) return;
  const busy =
    state.view === 'migrations' && state.migrations.some((m) => !TERMINAL_STATES.includes(m.state));
  // Only the migrations view is live; the others refresh slowly (every read is audited).
  if (state.view === 'migrations' || state.view === 'deletions') {
    state.pollTimer = setTimeout(
      () => {
        if (!document.hidden) refresh();
        else state.pollTimer = setTimeout(refresh, SLOW_POLL_MS);
      },
      busy ? FAST_POLL_MS : SLOW_POLL_MS,
    );
  }
}

function route() {
  const view = (location.hash.match(/^#\/(\w+)/) ?? [])[1];
  state.view = loaders[view] ? view : 'tenants';
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const v of Object.keys(loaders)) $(`view-${v}`).hidden = v !== state.view;
  if (session.token) refresh();
}

// ---------------------------------------------------------------- session

function signIn(token) {
  const claims = decodeClaims(token);
  if (!claims) throw new Error('That is not a JWT (three dot-separated parts).');
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
    throw new Error('That token has expired.');
  session.token = token.trim();
  session.claims = claims;
  session.role = roleOf(claims);
  sessionStorage.setItem(TOKEN_KEY, session.token);
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who-subject').textContent = claims.sub ?? 'operator';
  $('who-role').textContent = session.role;
  $('readonly-note').hidden = can(session.role, 'migrator');
  document.body.dataset.role = session.role;
  route();
}

function signOut(message = '') {
  clearTimeout(state.pollTimer);
  sessionStorage.removeItem(TOKEN_KEY);
  session.token = null;
  session.role = 'viewer';
  $('app').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').value = '';
  $('token').focus();
}

function start() {
  // A local stack may open the console as /ops/console/#token=<jwt>: take it, then drop it from
  // the address bar and history.
  const fromFragment = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromFragment));
    history.replaceState(null, '', `${location.pathname}#/tenants`);
  }
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    try {
      signIn($('token').value);
      await api('GET', '/tenants?limit=1');
    } catch (err) {
      if (session.token) signOut(describeError(err));
      else $('login-error').textContent = describeError(err);
    }
  });
  $('sign-out').addEventListener('click', () => signOut());
  for (const b of document.querySelectorAll('[data-refresh]')) b.addEventListener('click', () => refresh());
  $('tenant-region').addEventListener('change', () => refresh());
  $('tenant-state').addEventListener('change', () => refresh());
  $('audit-more').addEventListener('click', () =>
    loadAudit(true).catch((err) => announce(describeError(err), 'bad')),
  );
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && session.token) refresh();
  });
  window.addEventListener('hashchange', route);
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    try {
      signIn(saved);
      return;
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  }
  signOut();
  route();
}

start();
