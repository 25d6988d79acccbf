// The inspector's tenant view: the conversations of one tenant, newest activity first, searched
// and paged by the server (/_emulator/conversations, 100 a page, at most MAX_ROWS drawn), kept
// live from the message events; beside it the open thread, or the tenant's send-as form.

import { el, preview, shortTime } from './render.js';
import * as thread from './thread.js';
import * as sendas from './sendas.js';

const PAGE = 100;
const MAX_ROWS = 300;
const MAX_LIVE = 30;
const APPLY_MS = 250;
const REFRESH_QUIET_MS = 800;
const REFRESH_MAX_MS = 5000;

/** Draws the tenant `route` names into `root`; answers open(key) to show a conversation. */
export function mount(root, ctx, route) {
  const view = new ConversationList(ctx, route.provider, route.tenant);
  const detail = el('section', 'detail-pane');
  root.classList.add('tenant-main');
  root.append(view.node, detail);
  let child = null;
  const open = (key) => {
    if (child) child.dispose();
    child = ctx.scope();
    view.mark(key);
    detail.replaceChildren();
    if (key) thread.mount(detail, child.ctx, { ...route, key, conversation: view.info(key) });
    else tenantHome(detail, child.ctx, route);
  };
  open(route.key);
  view.load();
  return open;
}

/** What the detail pane shows when no conversation is open: the tenant's credentials and its
 * send-as form. */
function tenantHome(detail, ctx, route) {
  ctx.select({ conversation: null });
  const home = el('div', 'tenant-home');
  home.append(el('h2', null, route.tenant));
  home.append(el('p', 'note', 'Pick a conversation, or send a message as one of this ' +
    'tenant’s users.'));
  const info = ctx.tenantInfo(route.provider, route.tenant);
  if (info && info.credentials) home.append(credentials(info.credentials));
  const box = el('div', 'sendas-box');
  home.append(box);
  detail.append(home);
  if (typeof sendas.mount === 'function') sendas.mount(box, ctx);
}

/** What a client of this tenant needs to call it. */
function credentials(values) {
  const list = el('dl', 'credentials');
  for (const [name, value] of Object.entries(values)) {
    list.append(el('dt', null, name), el('dd', null, String(value)));
  }
  return list;
}

/** The list pane. */
class ConversationList {
  constructor(ctx, provider, tenant) {
    this.ctx = ctx;
    this.provider = provider;
    this.tenant = tenant;
    this.rows = new Map();
    this.total = 0;
    this.done = false;
    this.generation = 0;
    this.pending = new Map();
    this.reloadTimer = null;
    this.build();
    ctx.on('message', (entry) => this.live(entry));
    ctx.on('reset', () => this.load());
  }

  build() {
    this.node = el('section', 'conv-pane');
    this.node.setAttribute('aria-label', 'Conversations');
    const head = el('div', 'conv-head');
    const title = el('h1', 'tenant-title', this.tenant);
    title.append(el('span', 'provider-tag', this.provider));
    this.search = el('input', 'search');
    this.search.type = 'search';
    this.search.placeholder = 'Search members or ids  ( / )';
    this.search.setAttribute('aria-label', 'Search conversations');
    this.search.addEventListener('input', () => this.searchSoon());
    this.summary = el('p', 'summary', 'Loading…');
    this.summary.setAttribute('aria-live', 'polite');
    head.append(title, this.search, this.summary);
    this.list = el('ul', 'conv-list');
    this.list.setAttribute('aria-label', 'Conversations, newest activity first');
    this.more = el('p', 'more');
    this.scroller = el('div', 'conv-scroll');
    this.scroller.append(this.list, this.more);
    this.node.append(head, this.scroller);
    this.observer = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting)) this.page();
    }, { root: this.scroller, rootMargin: '200px' });
    this.observer.observe(this.more);
  }

  searchSoon() {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.load(), 250);
  }

  /** The first page again (a new search, a reset); the rows shown stay until it comes. */
  async load() {
    this.generation += 1;
    const generation = this.generation;
    this.loading = true;
    const res = await this.fetch(0, PAGE);
    if (generation !== this.generation) return;
    this.loading = false;
    this.rows.clear();
    this.list.replaceChildren();
    this.done = false;
    this.take(res);
  }

  /** The next page, when more remain and MAX_ROWS are not drawn yet. */
  async page() {
    if (this.loading || this.done || this.rows.size >= MAX_ROWS) return;
    this.loading = true;
    const generation = this.generation;
    const res = await this.fetch(this.rows.size, PAGE);
    if (generation !== this.generation) return;
    this.loading = false;
    this.take(res);
  }

  /** Draws a page the server answered. */
  take(res) {
    if (res.status !== 200 || !res.json) {
      this.summary.textContent = 'Could not load conversations (HTTP ' + res.status + ').';
      return;
    }
    const convs = res.json.conversations || [];
    for (const conv of convs) {
      if (!this.rows.has(conv.key)) this.list.append(this.row(conv));
    }
    this.total = res.json.total ?? this.rows.size;
    this.done = convs.length < PAGE || this.rows.size >= this.total;
    this.summarize();
    if (!this.done && this.rows.size < MAX_ROWS && this.moreVisible()) this.page();
  }

  fetch(offset, limit) {
    const q = new URLSearchParams({ provider: this.provider, tenant: this.tenant,
      limit: String(limit), offset: String(offset) });
    const text = this.search.value.trim();
    if (text) q.set('q', text);
    return this.ctx.api('/_emulator/conversations?' + q);
  }

  moreVisible() {
    const box = this.scroller.getBoundingClientRect();
    return this.more.getBoundingClientRect().top < box.bottom + 200;
  }

  summarize() {
    const n = this.total;
    const query = this.search.value.trim();
    this.summary.textContent = n === 1 ? '1 conversation' : n + ' conversations';
    if (query) this.summary.textContent += ' matching “' + query + '”';
    if (this.done) this.more.textContent = n ? '' : 'No conversations yet.';
    else if (this.rows.size >= MAX_ROWS) {
      this.more.textContent = 'Showing the newest ' + this.rows.size + '. Search to find others.';
    } else this.more.textContent = 'Loading more…';
  }

  /** A list item for `conv`, remembered by its key. */
  row(conv) {
    const li = el('li');
    const a = el('a', 'conv');
    a.dataset.testid = 'conversation';
    a.dataset.key = conv.key;
    a.href = '#/t/' + this.provider + '/' + encodeURIComponent(this.tenant) + '/c/' +
      encodeURIComponent(conv.key);
    li.append(a);
    const item = { li, a, conv };
    this.rows.set(conv.key, item);
    draw(item);
    if (conv.key === this.openKey) a.setAttribute('aria-current', 'page');
    return li;
  }

  /** What is known of the conversation `key`, for the thread's header and send-as. */
  info(key) {
    const item = this.rows.get(key);
    return item ? item.conv : null;
  }

  mark(key) {
    const before = this.rows.get(this.openKey);
    if (before) before.a.removeAttribute('aria-current');
    this.openKey = key;
    const now = this.rows.get(key);
    if (now) now.a.setAttribute('aria-current', 'page');
  }

  /** A live message: drawn with the others of the next APPLY_MS, so that a flood of messages
   * redraws the list a few times a second, not once per message. */
  live(entry) {
    if (entry.provider !== this.provider || entry.tenant !== this.tenant) return;
    const key = thread.threadKey(entry);
    const seen = this.pending.get(key);
    this.pending.delete(key);
    this.pending.set(key, { entry, n: (seen ? seen.n : 0) + 1 });
    if (this.applyTimer) return;
    this.applyTimer = setTimeout(() => {
      this.applyTimer = null;
      if (this.node.isConnected) this.apply();
    }, APPLY_MS);
  }

  /** Only the newest MAX_LIVE conversations of a batch are drawn; older ones of a flood are
   * left to the next page or refresh. */
  apply() {
    const batch = [...this.pending];
    this.pending.clear();
    const skipped = batch.splice(0, Math.max(0, batch.length - MAX_LIVE));
    if (skipped.length) this.done = false;
    for (const [key, { entry, n }] of batch) this.bump(key, entry, n);
    while (this.rows.size > MAX_ROWS) this.dropLast();
    this.summarize();
  }

  bump(key, entry, n) {
    let item = this.rows.get(key);
    if (item) {
      item.conv.messages = (item.conv.messages || 0) + n;
      item.conv.last = entry;
    } else {
      if (!matches(this.search.value.trim(), entry)) return;
      if (!this.done) this.reloadSoon();
      else this.total += 1;
      this.row(fresh(key, entry, n));
      item = this.rows.get(key);
    }
    draw(item);
    this.list.prepend(item.li);
  }

  dropLast() {
    const li = this.list.lastElementChild;
    const key = li.firstElementChild.dataset.key;
    this.rows.delete(key);
    li.remove();
    this.done = false;
  }

  /** A conversation that may lie beyond the drawn pages: its count comes from the server, once
   * messages pause (or every REFRESH_MAX_MS in a flood). */
  reloadSoon() {
    const now = performance.now();
    if (!this.reloadTimer) this.reloadFirst = now;
    clearTimeout(this.reloadTimer);
    const wait = Math.min(REFRESH_QUIET_MS, this.reloadFirst + REFRESH_MAX_MS - now);
    this.reloadTimer = setTimeout(() => this.refresh(), Math.max(0, wait));
  }

  async refresh() {
    this.reloadTimer = null;
    if (!this.node.isConnected) return;
    const generation = this.generation;
    const res = await this.fetch(0, Math.max(PAGE, Math.min(this.rows.size, MAX_ROWS)));
    if (generation !== this.generation || res.status !== 200 || !res.json) return;
    const top = this.scroller.scrollTop;
    this.rows.clear();
    const convs = res.json.conversations || [];
    this.list.replaceChildren(...convs.map((c) => this.row(c)));
    this.total = res.json.total ?? convs.length;
    this.done = this.rows.size >= this.total;
    this.scroller.scrollTop = top;
    this.summarize();
  }
}

/** Fills a row from its conversation. */
function draw({ a, conv }) {
  const top = el('span', 'conv-top');
  top.append(el('span', 'title', thread.title(conv)));
  const badge = el('span', 'badge badge-' + conv.chat_type, conv.chat_type);
  const count = el('span', 'count', String(conv.messages ?? ''));
  count.title = 'messages';
  top.append(badge, count);
  const bottom = el('span', 'conv-bottom');
  const last = conv.last;
  bottom.append(el('span', 'preview', last ? preview(last) : ''));
  if (last) {
    const time = el('time', 'when', shortTime(last.received_at_ms));
    time.dateTime = new Date(last.received_at_ms).toISOString();
    bottom.append(time);
  }
  a.replaceChildren(top, bottom);
}

/** A conversation first seen in a live event. */
function fresh(key, entry, n) {
  const parts = JSON.parse(key);
  const members = entry.chat_type === 'single' ? parts.slice(1) : [];
  return { key, chat_type: entry.chat_type, conversation: entry.conversation, to: entry.to,
    members, messages: n, last: entry };
}

/** Whether a live conversation belongs in a list searched for `q` (as the server matches). */
function matches(q, entry) {
  if (!q) return true;
  const needle = q.toLowerCase();
  const fields = [entry.to, entry.conversation];
  if (entry.chat_type === 'single') fields.push(entry.from);
  return fields.some((f) => String(f).toLowerCase().includes(needle));
}
