// The inspector's shell: the context every view gets (api, events, selection, tenants,
// navigate), the hash router, the admin-token prompt, the live event stream from
// /_emulator/events, the header clock and the sidebar of providers and tenants.

import { el } from './render.js';
import * as conversations from './conversations.js';
import * as requests from './requests.js';
import * as control from './control.js';

const TOKEN_KEY = 'im-emulator-admin-token';
const PROVIDERS = [
  ['easemob', 'Easemob'],
  ['openim', 'OpenIM'],
  ['yunxin', 'Yunxin'],
  ['anqicms', 'AnqiCMS'],
];

const state = {
  tenants: [],
  selection: { provider: null, tenant: null, conversation: null },
};

// ---- listeners ---------------------------------------------------------------------------

const listeners = new Map();

function on(kind, fn) {
  if (!listeners.has(kind)) listeners.set(kind, new Set());
  listeners.get(kind).add(fn);
  return () => listeners.get(kind).delete(fn);
}

function emit(kind, data) {
  for (const fn of [...(listeners.get(kind) || [])]) {
    try {
      fn(data);
    } catch (err) {
      console.error('inspector: a', kind, 'listener failed', err);
    }
  }
}

// ---- api and the admin token ---------------------------------------------------------------

let asking = null;
let declined = false;

/** A same-origin call; admin calls carry the admin token once the user gave one. When the
 * emulator cannot be reached the answer has status 0 and the reason as its text. */
async function api(path, { method = 'GET', body, headers = {} } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    let res;
    try {
      res = await fetch(path, { method, headers: adminHeaders(headers, body), body: wire(body) });
    } catch (err) {
      return { status: 0, json: null, text: String(err), headers: new Headers() };
    }
    if (res.status === 401 && attempt < 3 && (await askToken())) continue;
    const text = await res.text().catch(() => '');
    return { status: res.status, json: parseJson(text), text, headers: res.headers };
  }
}

function adminHeaders(headers, body) {
  const out = { ...headers };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) out.Authorization = 'Bearer ' + token;
  if (body !== undefined && typeof body !== 'string' && !hasHeader(out, 'content-type')) {
    out['Content-Type'] = 'application/json';
  }
  return out;
}

function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function wire(body) {
  if (body === undefined || typeof body === 'string') return body;
  return JSON.stringify(body);
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch (_) {
    return null;
  }
}

/** Asks for the admin token (once for all callers waiting); true when one was given. */
function askToken() {
  if (declined) return Promise.resolve(false);
  if (!asking) {
    asking = promptToken().finally(() => {
      asking = null;
    });
  }
  return asking;
}

function promptToken() {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', function done() {
      dialog.removeEventListener('close', done);
      const token = dialog.returnValue === 'ok' ? input.value.trim() : '';
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      declined = !token;
      document.getElementById('token-button').hidden = !declined;
      resolve(Boolean(token));
    });
    dialog.showModal();
  });
}

// ---- the context -----------------------------------------------------------------------------

/** A context for one mounted view: its listeners go away when the view does. */
function scope() {
  const offs = [];
  const ctx = {
    api,
    emit,
    navigate,
    on(kind, fn) {
      const off = on(kind, fn);
      offs.push(off);
      return off;
    },
    selection: () => state.selection,
    tenants: () => state.tenants,
    tenantInfo: (provider, name) =>
      state.tenants.find((t) => t.provider === provider && t.name === name) || null,
    select,
    scope: () => {
      const child = scope();
      offs.push(child.dispose);
      return child;
    },
  };
  return { ctx, dispose: () => offs.splice(0).forEach((off) => off()) };
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function select(selection) {
  state.selection = { ...state.selection, ...selection };
  emit('select', state.selection);
}

// ---- the router ------------------------------------------------------------------------------

const main = () => document.getElementById('main');
let current = null;

/** The route of a hash: {view, provider, tenant, key}. */
function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'requests' || parts[0] === 'control') return { view: parts[0] };
  if (parts[0] === 't' && parts.length >= 3) {
    const key = parts[3] === 'c' && parts[4] ? decode(parts.slice(4).join('/')) : null;
    return { view: 'tenant', provider: parts[1], tenant: decode(parts[2]), key };
  }
  return { view: 'overview' };
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch (_) {
    return text;
  }
}

function route() {
  const next = parse(location.hash);
  markTabs(next);
  const sameTenant = current && current.route.view === 'tenant' && next.view === 'tenant' &&
    current.route.provider === next.provider && current.route.tenant === next.tenant;
  if (sameTenant && current.open) {
    current.route = next;
    current.open(next.key);
    return;
  }
  show(next);
}

function show(next) {
  if (current) current.dispose();
  const root = main();
  root.className = 'main';
  root.replaceChildren();
  const view = scope();
  current = { route: next, dispose: view.dispose, open: null };
  state.selection = { ...state.selection, conversation: null };
  if (next.view === 'tenant') {
    state.selection = { provider: next.provider, tenant: next.tenant, conversation: null };
    current.open = conversations.mount(root, view.ctx, next);
  } else if (next.view === 'requests') {
    mountPanel(requests, root, view, 'Request log');
  } else if (next.view === 'control') {
    mountPanel(control, root, view, 'Control');
  } else {
    overview(root);
  }
  markSidebar();
  emit('select', state.selection);
}

/** Mounts a panel module (the tenant last looked at stays selected); a module without `mount`
 * leaves a note instead. What `mount` answers, when a function, is called when the view goes. */
function mountPanel(module, root, view, title) {
  if (typeof module.mount !== 'function') {
    const note = el('p', 'note', 'This view is not available in this build.');
    root.append(el('h1', null, title), note);
    return;
  }
  const cleanup = module.mount(root, view.ctx);
  if (typeof cleanup === 'function') {
    current.dispose = () => {
      view.dispose();
      cleanup();
    };
  }
}

function markTabs(r) {
  for (const a of document.querySelectorAll('.tabs a')) {
    const view = a.dataset.view;
    const here = view === r.view || (view === 'conversations' && r.view === 'tenant');
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const tab = document.getElementById('tab-conversations');
  const sel = r.view === 'tenant' ? r : state.selection;
  tab.href = sel && sel.provider ? tenantHash(sel.provider, sel.tenant) : '#/';
}

/** The hash of a tenant's conversations. */
function tenantHash(provider, tenant) {
  return '#/t/' + provider + '/' + encodeURIComponent(tenant);
}

// ---- the overview ----------------------------------------------------------------------------

function overview(root) {
  root.classList.add('overview');
  root.append(el('h1', null, 'Tenants'));
  root.append(el('p', 'note', 'Pick a tenant to see its conversations. Counts are the messages ' +
    'the journal holds; they update live.'));
  const table = el('table', 'tenants-table');
  table.append(row('th', ['Provider', 'Tenant', 'Origin', 'Messages', 'Holds']));
  for (const t of state.tenants) {
    const link = el('a', null, t.name);
    link.href = tenantHash(t.provider, t.name);
    table.append(row('td', [providerName(t.provider), link, t.origin || '',
      String(t.messages ?? 0), countsText(t.counts)]));
  }
  root.append(table);
}

function row(cell, values) {
  const tr = el('tr');
  for (const v of values) {
    const td = el(cell);
    td.append(v);
    tr.append(td);
  }
  return tr;
}

function countsText(counts) {
  if (!counts || typeof counts !== 'object') return '';
  return Object.entries(counts).map(([k, v]) => k + ' ' + v).join(', ');
}

function providerName(id) {
  const found = PROVIDERS.find(([p]) => p === id);
  return found ? found[1] : id;
}

// ---- the sidebar -----------------------------------------------------------------------------

const counters = new Map();
const counted = new Map();
let reloadTimer = null;

async function loadTenants() {
  const res = await api('/_emulator/tenants');
  if (res.status !== 200 || !res.json) return;
  state.tenants = res.json.tenants || [];
  // Live events start right after this listing, so that nothing made since is missed.
  const position = res.headers.get('Last-Event-ID');
  if (lastEventId === null && position) lastEventId = position;
  drawSidebar();
  if (current && current.route.view === 'overview') show(current.route);
}

function drawSidebar() {
  const nav = document.getElementById('sidebar');
  counters.clear();
  const lists = PROVIDERS.map(([id, name]) => {
    const section = el('section', 'provider');
    section.append(el('h2', null, name));
    const ul = el('ul');
    for (const t of state.tenants.filter((x) => x.provider === id)) ul.append(tenantItem(t));
    if (!ul.children.length) ul.append(el('li', 'none', 'no tenants'));
    section.append(ul);
    return section;
  });
  nav.replaceChildren(el('h2', 'sr-only', 'Providers and tenants'), ...lists);
  markSidebar();
}

function tenantItem(t) {
  const a = el('a', 'tenant');
  a.href = tenantHash(t.provider, t.name);
  a.dataset.testid = 'tenant';
  a.dataset.provider = t.provider;
  a.dataset.tenant = t.name;
  const count = el('span', 'count', String(t.messages ?? 0));
  count.dataset.testid = 'tenant-count';
  count.title = 'messages in the journal';
  a.append(el('span', 'name', t.name), count);
  counters.set(t.provider + '\n' + t.name, count);
  const li = el('li');
  li.append(a);
  return li;
}

function markSidebar() {
  const r = current ? current.route : {};
  for (const a of document.querySelectorAll('#sidebar a.tenant')) {
    const here = a.dataset.provider === r.provider && a.dataset.tenant === r.tenant;
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** Counts a live message in its tenant's line; drawn by drawCounts once a batch is in. */
function countMessage(entry) {
  const count = counters.get(entry.provider + '\n' + entry.tenant);
  if (!count) {
    reloadTenantsSoon();
    return;
  }
  if (!counted.has(count)) counted.set(count, Number(count.textContent));
  counted.set(count, counted.get(count) + 1);
}

function drawCounts() {
  for (const [count, n] of counted) count.textContent = String(n);
  counted.clear();
}

function reloadTenantsSoon() {
  if (reloadTimer) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    loadTenants();
  }, 1000);
}

// ---- the live event stream -------------------------------------------------------------------

const queue = [];
let flushing = false;
let lastEventId = null;

async function listen() {
  let delay = 500;
  for (;;) {
    await checkServer();
    if (lastEventId === null) await loadTenants();
    const outcome = await stream().catch(() => 'error');
    setLive(outcome === 'dropped' ? 'catching up…' : 'reconnecting…', false);
    if (outcome === 'dropped') {
      lastEventId = null;
      reloadViews();
      delay = 500;
      continue;
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 15000);
  }
}

let startedAt = null;

/** A restarted emulator numbers its events afresh: then the stream starts over and the views
 * reload, instead of resuming after an id of the previous run. */
async function checkServer() {
  const res = await api('/_emulator/health');
  if (res.status !== 200 || !res.json) return;
  const started = Date.now() - res.json.uptime_ms;
  const restarted = startedAt !== null && Math.abs(started - startedAt) > 5000;
  startedAt = started;
  if (restarted) {
    lastEventId = null;
    reloadViews();
  }
}

/** Reads one connection to its end: 'end', 'dropped' or 'error'. */
async function stream() {
  const headers = adminHeaders({ Accept: 'text/event-stream' });
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await fetch('/_emulator/events?kinds=messages,requests', { headers });
  if (res.status === 401) {
    await res.body?.cancel();
    return (await askToken()) ? 'end' : 'error';
  }
  if (!res.ok || !res.body) return 'error';
  setLive('live', true);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return 'end';
    buffer += value;
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop();
    for (const block of blocks) {
      if (sse(block) === 'dropped') {
        await reader.cancel();
        return 'dropped';
      }
    }
  }
}

/** Handles one SSE block; answers its event name. */
function sse(block) {
  let name = 'message';
  const data = [];
  let id = null;
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (!data.length) return null;
  if (id !== null) lastEventId = id;
  if (name === 'message' || name === 'request') enqueue(name, parseJson(data.join('\n')));
  return name;
}

function enqueue(kind, data) {
  if (!data) return;
  queue.push([kind, data]);
  if (flushing) return;
  flushing = true;
  requestAnimationFrame(flush);
  setTimeout(flush, 250);
}

/** Hands the queued events to listeners, once per frame (or soon, in a hidden tab). */
function flush() {
  if (!flushing) return;
  flushing = false;
  for (const [kind, data] of queue.splice(0)) {
    if (kind === 'message') countMessage(data);
    emit(kind, data);
  }
  drawCounts();
}

function setLive(text, ok) {
  const live = document.getElementById('live');
  live.textContent = text;
  live.classList.toggle('ok', ok);
}

function reloadViews() {
  loadTenants();
  if (current) show(current.route);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the clock -------------------------------------------------------------------------------

let clockBusy = false;

async function tick() {
  if (clockBusy) return;
  clockBusy = true;
  const res = await api('/_emulator/clock');
  clockBusy = false;
  if (res.status === 200 && res.json) drawClock(res.json);
  else if (res.status === 0) document.getElementById('clock').textContent = 'unreachable';
}

function drawClock({ now_ms: ms, frozen }) {
  const clock = document.getElementById('clock');
  const iso = new Date(ms).toISOString();
  clock.textContent = iso.replace(/\.\d{3}Z$/, 'Z');
  clock.title = iso + ' (' + ms + ' ms)';
  clock.dataset.ms = String(ms);
  clock.dataset.pinned = String(Boolean(frozen));
  document.getElementById('pinned').hidden = !frozen;
}

// ---- start -----------------------------------------------------------------------------------

function keys(event) {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest('input, textarea, select, [contenteditable]')) return;
  const search = document.querySelector('input[type="search"]');
  if (search) {
    event.preventDefault();
    search.focus();
  }
}

/** After the prompt was dismissed, the header's button asks again. */
async function retryToken() {
  declined = false;
  if (await askToken()) reloadViews();
}

async function start() {
  document.getElementById('token-button').addEventListener('click', retryToken);
  on('reset', () => {
    loadTenants();
    tick();
  });
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', keys);
  route();
  await loadTenants();
  tick();
  setInterval(tick, 1000);
  listen();
}

start();
