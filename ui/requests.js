// The inspector's request log (#/requests): every provider call from /_emulator/requests, newest
// first, filtered by provider, failure and path; failed calls marked with the provider's own
// error code and name; new calls prepended live (batched per frame, at most MAX_ROWS drawn);
// a row opens the call's headers and bodies in a dialog.

import { el, clockTime } from './render.js';
import { labelled, refusal, tableHead } from './control.js';

const PAGE = 100;
const MAX_ROWS = 300;
/** How many sequence numbers one look for older calls spans. */
const WINDOW = 1000;
const PROVIDERS = ['easemob', 'openim', 'yunxin', 'anqicms'];
const COLUMNS = ['Time', 'Provider', 'Tenant', 'Method', 'Path', 'Status', 'Duration', 'Code',
  'Error'];

/** Draws the request log into `root`. */
export function mount(root, ctx) {
  const view = new RequestLog(ctx);
  root.append(view.node);
  ctx.on('request', (entry) => view.live(entry));
  ctx.on('reset', () => view.load());
  view.load();
}

class RequestLog {
  constructor(ctx) {
    this.ctx = ctx;
    this.queue = [];
    this.frame = 0;
    this.paused = false;
    this.missed = 0;
    this.loading = false;
    this.generation = 0;
    this.node = el('section', 'panel requests-panel');
    this.node.setAttribute('aria-labelledby', 'requests-title');
    const title = el('h1', null, 'Request log');
    title.id = 'requests-title';
    this.status = el('p', 'note');
    this.status.setAttribute('role', 'status');
    this.body = el('tbody');
    this.older = el('button', null, 'Load older calls');
    this.older.type = 'button';
    this.older.addEventListener('click', () => this.loadOlder());
    this.newer = el('button', null, 'Show the newest calls');
    this.newer.type = 'button';
    this.newer.hidden = true;
    this.newer.addEventListener('click', () => this.load());
    this.node.append(title, this.filters(), this.status, this.newer, this.table(), this.older);
  }

  filters() {
    const form = el('form', 'filters');
    form.setAttribute('role', 'search');
    form.addEventListener('submit', (e) => e.preventDefault());
    this.provider = el('select');
    this.provider.append(new Option('All providers', ''));
    for (const p of PROVIDERS) this.provider.append(new Option(p, p));
    this.failed = el('input');
    this.failed.type = 'checkbox';
    this.path = el('input');
    this.path.type = 'search';
    this.path.placeholder = '/messages';
    form.append(
      labelled('Provider', this.provider),
      labelled('Failed only', this.failed),
      labelled('Path contains', this.path),
    );
    let timer = 0;
    const again = () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.load(), 250);
    };
    this.provider.addEventListener('change', () => this.load());
    this.failed.addEventListener('change', () => this.load());
    this.path.addEventListener('input', again);
    return form;
  }

  table() {
    const table = el('table', 'requests-table');
    table.dataset.testid = 'requests';
    const caption = el('caption', 'sr-only', 'Provider calls, newest first; Enter opens one');
    table.append(caption, tableHead(COLUMNS), this.body);
    const wrap = el('div', 'table-wrap');
    wrap.append(table);
    return wrap;
  }

  /** The query string of the filters, plus `extra`. */
  query(extra) {
    const q = new URLSearchParams(extra);
    if (this.provider.value) q.set('provider', this.provider.value);
    if (this.failed.checked) q.set('failed', 'true');
    const path = this.path.value.trim();
    if (path) q.set('path', '*' + path + '*');
    return q.toString();
  }

  async load() {
    const generation = ++this.generation;
    this.paused = false;
    this.missed = 0;
    this.loading = true;
    this.queue = [];
    this.newer.hidden = true;
    this.status.textContent = 'Loading…';
    const res = await this.ctx.api('/_emulator/requests?' + this.query({ limit: PAGE }));
    if (generation !== this.generation) return;
    this.loading = false;
    if (res.status !== 200 || !res.json) {
      this.status.textContent = 'Could not read the request log: ' + refusal(res);
      return;
    }
    const entries = res.json.requests.slice().reverse();
    this.body.replaceChildren(...entries.map((e) => row(e, () => this.open(e))));
    this.older.hidden = res.json.total <= entries.length;
    this.count(res.json.total);
    this.flush();
  }

  /** Older calls than the last row: windows of sequence numbers below it, until a page. */
  async loadOlder() {
    const generation = this.generation;
    const last = this.body.lastElementChild;
    let below = last ? Number(last.dataset.seq) : 0;
    const found = [];
    for (let looks = 0; below > 1 && found.length < PAGE && looks < 20; looks += 1) {
      const after = Math.max(0, below - 1 - WINDOW);
      const res = await this.ctx.api('/_emulator/requests?' + this.query({ after, limit: WINDOW }));
      if (generation !== this.generation || res.status !== 200 || !res.json) return;
      const older = res.json.requests.filter((e) => e.seq < below).reverse();
      found.push(...older);
      below = after + 1;
    }
    for (const e of found.slice(0, PAGE)) this.body.append(row(e, () => this.open(e)));
    this.older.hidden = below <= 1 || found.length === 0;
    this.trim(() => this.body.firstElementChild, true);
    this.count();
  }

  /** A call from the live events: queued, drawn at the next frame. */
  live(entry) {
    if (!this.keeps(entry)) return;
    if (this.paused) {
      this.missed += 1;
      this.newer.hidden = false;
      this.newer.textContent = 'Show the newest calls (' + this.missed + ' new)';
      return;
    }
    this.queue.push(entry);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Draws the queued calls newer than the top row (a reload may have drawn some already). */
  flush() {
    this.frame = 0;
    if (this.paused || this.loading) return;
    const top = this.body.firstElementChild;
    const newest = top ? Number(top.dataset.seq) : 0;
    const fresh = this.queue.splice(0).filter((e) => e.seq > newest);
    if (!fresh.length) return;
    const rows = fresh.map((e) => row(e, () => this.open(e)));
    this.body.prepend(...rows.reverse());
    this.trim(() => this.body.lastElementChild, false);
    this.count(this.total + fresh.length);
  }

  /** Drops rows past MAX_ROWS from one end; dropping the newest pauses the live rows. */
  trim(end, newest) {
    let dropped = 0;
    while (this.body.childElementCount > MAX_ROWS) {
      end().remove();
      dropped += 1;
    }
    if (!dropped) return;
    if (!newest) {
      this.older.hidden = false;
      return;
    }
    this.paused = true;
    this.newer.hidden = false;
    this.newer.textContent = 'Show the newest calls';
  }

  /** Whether the filters keep a live call. */
  keeps(entry) {
    if (this.provider.value && entry.provider !== this.provider.value) return false;
    if (this.failed.checked && !entry.error) return false;
    const path = this.path.value.trim();
    return !path || globMatch('*' + path + '*', entry.path);
  }

  count(total) {
    if (total !== undefined) this.total = total;
    const shown = this.body.childElementCount;
    this.status.textContent = shown
      ? 'Showing ' + shown + ' calls' +
        (this.total > shown ? ' of ' + this.total + ' matching' : '')
      : 'No calls yet: a call to any provider route shows here.';
  }

  open(entry) {
    const back = document.activeElement;
    const dialog = detail(entry);
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (back && back.isConnected) back.focus();
    });
    this.node.append(dialog);
    dialog.showModal();
  }
}

// ---- one call's detail -------------------------------------------------------------------

/** A dialog with the call's outcome, request headers and both bodies. */
function detail(e) {
  const dialog = el('dialog', 'raw-dialog request-dialog');
  dialog.dataset.testid = 'request-detail';
  dialog.setAttribute('aria-labelledby', 'request-detail-title');
  const head = el('div', 'dialog-head');
  const title = el('h3', null, e.method + ' ' + e.path + (e.query ? '?' + e.query : ''));
  title.id = 'request-detail-title';
  const close = el('button', null, 'Close');
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  head.append(title, close);
  dialog.append(head, facts(e));
  dialog.append(el('h4', null, 'Request headers'), el('pre', null, headerLines(e.request)));
  dialog.append(el('h4', null, 'Request body'), el('pre', null, bodyText(e.request)));
  dialog.append(el('h4', null, 'Response body'), el('pre', null, bodyText(e.response)));
  return dialog;
}

/** The call's outcome as a definition list. */
function facts(e) {
  const list = el('dl', 'facts');
  const rows = [
    ['Time', new Date(e.time_ms).toISOString() + ' (emulator clock)'],
    ['Provider', e.provider + (e.tenant ? ' · ' + e.tenant : '')],
    ['Status', e.closed ? 'closed without an answer' : String(e.status)],
    ['Duration', duration(e.duration_us)],
  ];
  if (e.error) {
    const code = e.error.code ?? '';
    rows.push(['Error', [code, e.error.name].filter((x) => x !== '').join(' ') + ': ' +
      e.error.message]);
  }
  if (e.fault !== null && e.fault !== undefined) rows.push(['Fault rule', String(e.fault)]);
  for (const [name, value] of rows) list.append(el('dt', null, name), el('dd', null, value));
  return list;
}

function headerLines(request) {
  const headers = (request && request.headers) || {};
  const lines = Object.entries(headers).map(([name, value]) => name + ': ' + value);
  return lines.length ? lines.join('\n') : '(none)';
}

/** A kept body: JSON indented when it parses; binary noted; a cut one marked. */
function bodyText(part) {
  if (!part) return '(none)';
  let text;
  if (typeof part.body_base64 === 'string') {
    text = '(binary, ' + part.body_bytes + ' bytes, shown in base64)\n' + part.body_base64;
  } else if (part.body === null || part.body === undefined) {
    return '(the route read no body)';
  } else if (part.body === '') {
    return '(empty)';
  } else {
    text = indented(part.body);
  }
  if (part.body_truncated) text += '\n… (cut: ' + part.body_bytes + ' bytes in all)';
  return text;
}

function indented(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (_) {
    return text;
  }
}

/** The row of one call. */
function row(e, open) {
  const tr = el('tr');
  tr.dataset.testid = 'request';
  tr.dataset.seq = String(e.seq);
  tr.tabIndex = 0;
  if (failed(e)) tr.classList.add('failed');
  const time = new Date(e.time_ms);
  const millis = String(time.getMilliseconds()).padStart(3, '0');
  const cells = [
    { text: clockTime(time) + '.' + millis, title: time.toISOString() },
    { text: e.provider },
    { text: e.tenant || '' },
    { text: e.method },
    { text: e.path + (e.query ? '?' + e.query : ''), cls: 'path' },
    { text: e.closed ? 'closed' : String(e.status), testid: 'status',
      cls: e.closed || e.status >= 400 ? 'bad' : null },
    { text: duration(e.duration_us) },
    { text: e.error ? String(e.error.code ?? e.status ?? '') : '', testid: 'error-code' },
    { text: e.error ? e.error.name : '', testid: 'error-name', title: e.error && e.error.message },
  ];
  for (const { text, testid, cls, title } of cells) {
    const td = el('td', cls, text);
    if (testid) td.dataset.testid = testid;
    if (title) td.title = title;
    tr.append(td);
  }
  tr.setAttribute('aria-label', e.method + ' ' + e.path + ', ' + (e.closed ? 'closed' : e.status) +
    (e.error ? ', failed ' + e.error.code : ''));
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  });
  return tr;
}

/** Whether a call failed: the provider's envelope says so, or no answer came. */
function failed(e) {
  return Boolean(e.error) || e.closed || e.status >= 400;
}

function duration(us) {
  if (us === undefined || us === null) return '';
  return us >= 10000 ? Math.round(us / 1000) + ' ms' : (us / 1000).toFixed(1) + ' ms';
}

/** The log's `*` patterns: `*` stands for any run of characters. */
function globMatch(pattern, text) {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp('^' + escaped.join('.*') + '$', 's').test(text);
}
