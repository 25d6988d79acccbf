// The inspector's thread: one conversation's messages as bubbles by sender, paged from
// /_emulator/conversations/messages (the newest first, older ones when scrolled to the top),
// never more than MAX_NODES drawn, live messages appended, the raw record a click away.

import { el, renderBody, pretty, clockTime, dayName } from './render.js';
import * as sendas from './sendas.js';

const PAGE = 50;
const MAX_NODES = 300;
const NEAR = 40;
/** Paths of calls that change a delivered message: recall, revoke, rewrite. */
const EDITS = /recall|revoke|rewrite/i;

/** The thread key of a journal entry (the server computes the same). */
export function threadKey(entry) {
  const type = entry.chat_type;
  if (type === 'single') {
    const [a, b] = [String(entry.from), String(entry.to)].sort();
    return JSON.stringify(['single', a, b]);
  }
  if (type === 'group' || type === 'room') return JSON.stringify([type, entry.to]);
  return JSON.stringify([type, entry.conversation]);
}

/** A conversation's title: its two users, or its group, room or order. */
export function title(conv) {
  const members = conv.members || [];
  if (conv.chat_type === 'single' && members.length >= 2) return members[0] + ' ↔ ' + members[1];
  if (conv.chat_type === 'order') return 'Order ' + conv.conversation;
  if (conv.chat_type === 'group' || conv.chat_type === 'room') return conv.to;
  return conv.conversation || conv.to || conv.key;
}

/** Draws the thread `route.key` of `route.provider`/`route.tenant` into `root`. */
export function mount(root, ctx, route) {
  const conv = route.conversation || fromKey(route.key);
  ctx.select({ conversation: pick(conv) });
  const view = new Thread(ctx, route, conv);
  root.append(view.node);
  const box = el('div', 'sendas-box');
  root.append(box);
  if (typeof sendas.mount === 'function') sendas.mount(box, ctx);
  view.reload();
}

/** What the selection says of a conversation. */
function pick(conv) {
  const { key, chat_type, members, to, conversation } = conv;
  return { key, chat_type, members, to, conversation };
}

/** What a key alone says of its conversation (opened from an address). */
function fromKey(key) {
  let parts;
  try {
    parts = JSON.parse(key);
  } catch (_) {
    parts = ['unknown', key];
  }
  const [type, a, b] = parts;
  if (type === 'single') return { key, chat_type: type, members: [a, b], to: b, conversation: b };
  return { key, chat_type: type, members: [], to: a, conversation: a };
}

class Thread {
  constructor(ctx, route, conv) {
    this.ctx = ctx;
    this.route = route;
    this.conv = conv;
    this.held = null;
    this.more = false;
    this.detached = false;
    this.unseen = 0;
    this.build();
    ctx.on('message', (entry) => this.live(entry));
    ctx.on('reset', () => this.reload());
    ctx.on('request', (call) => this.changed(call));
  }

  build() {
    this.node = el('section', 'thread-pane');
    this.node.setAttribute('aria-label', 'Thread');
    const head = el('div', 'thread-head');
    const name = el('h2', 'thread-title', title(this.conv));
    name.append(el('span', 'badge badge-' + this.conv.chat_type, this.conv.chat_type));
    this.count = el('span', 'summary');
    head.append(name, this.count);
    const members = this.conv.members || [];
    if (this.conv.chat_type !== 'single' && members.length) {
      head.append(el('span', 'summary members', 'with ' + members.join(', ')));
    }
    this.log = el('ol', 'thread');
    this.log.dataset.testid = 'thread';
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.log.setAttribute('aria-label', 'Messages');
    this.log.tabIndex = 0;
    this.log.addEventListener('scroll', () => this.scrolled());
    this.log.addEventListener('click', (e) => this.clicked(e));
    this.jump = el('button', 'jump');
    this.jump.type = 'button';
    this.jump.hidden = true;
    this.jump.addEventListener('click', () => this.toBottom());
    this.dialog = rawDialog();
    const body = el('div', 'thread-body');
    body.append(this.log, this.jump);
    this.node.append(head, body, this.dialog);
  }

  /** The newest page, scrolled to the bottom; live messages that come meanwhile are held and
   * drawn after it unless it has them. */
  async reload() {
    this.token = {};
    const token = this.token;
    this.held = [];
    const res = await this.fetch(null);
    if (token !== this.token) return;
    const held = this.held;
    this.held = null;
    if (!res) return;
    const last = res.messages.length ? res.messages[res.messages.length - 1].seq : -1;
    const messages = res.messages.concat(held.filter((m) => m.seq > last));
    this.log.replaceChildren(...messages.map((m) => this.bubble(m)));
    this.fixRuns();
    this.more = res.more;
    this.total = res.total;
    this.detached = false;
    this.unseen = 0;
    this.showJump();
    this.summarize();
    this.log.scrollTop = this.log.scrollHeight;
  }

  async fetch(before, limit = PAGE) {
    const q = new URLSearchParams({ provider: this.route.provider, tenant: this.route.tenant,
      key: this.route.key, limit: String(limit) });
    if (before !== null) q.set('before', String(before));
    const res = await this.ctx.api('/_emulator/conversations/messages?' + q);
    if (res.status !== 200 || !res.json) {
      this.count.textContent = 'Could not load messages (HTTP ' + res.status + ').';
      return null;
    }
    return { messages: res.json.messages || [], total: res.json.total, more: res.json.more };
  }

  summarize() {
    const n = this.total ?? this.log.children.length;
    this.count.textContent = n === 1 ? '1 message' : n + ' messages';
  }

  scrolled() {
    if (this.log.scrollTop < NEAR && this.more && !this.loadingOlder) this.older();
    if (this.atBottom() && !this.detached && this.unseen) {
      this.unseen = 0;
      this.showJump();
    }
  }

  /** The page before the first drawn message, keeping what the reader sees in place. */
  async older() {
    const first = this.log.firstElementChild;
    if (!first) return;
    this.loadingOlder = true;
    const token = this.token;
    const res = await this.fetch(Number(first.dataset.seq));
    this.loadingOlder = false;
    if (token !== this.token || !res) return;
    const height = this.log.scrollHeight;
    const top = this.log.scrollTop;
    this.log.prepend(...res.messages.map((m) => this.bubble(m)));
    this.more = res.more;
    this.fixRuns();
    this.log.scrollTop = top + (this.log.scrollHeight - height);
    this.trimNewest();
  }

  /** Past MAX_NODES after paging up, the newest go; they come back with "new messages". */
  trimNewest() {
    let dropped = false;
    while (this.log.children.length > MAX_NODES) {
      this.log.lastElementChild.remove();
      dropped = true;
    }
    if (dropped) {
      this.detached = true;
      this.showJump();
    }
  }

  /** Past MAX_NODES at the bottom, the oldest go; scrolling up fetches them again. */
  trimOldest() {
    let dropped = false;
    while (this.log.children.length > MAX_NODES) {
      this.log.firstElementChild.remove();
      dropped = true;
    }
    if (dropped) {
      this.more = true;
      this.fixRuns();
    }
  }

  atBottom() {
    const log = this.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR;
  }

  /** A live message of this thread: appended, followed only when the reader was at the end. */
  live(entry) {
    if (entry.provider !== this.route.provider || entry.tenant !== this.route.tenant) return;
    if (threadKey(entry) !== this.route.key) return;
    if (this.held) {
      this.held.push(entry);
      return;
    }
    this.total = (this.total ?? 0) + 1;
    this.summarize();
    if (this.detached) {
      this.unseen += 1;
      this.showJump();
      return;
    }
    const follow = this.atBottom();
    this.log.append(this.bubble(entry));
    this.fixRuns();
    if (follow) {
      this.trimOldest();
      this.log.scrollTop = this.log.scrollHeight;
    } else {
      this.unseen += 1;
      this.showJump();
    }
  }

  toBottom() {
    if (this.detached) {
      this.reload();
      return;
    }
    this.unseen = 0;
    this.showJump();
    this.log.scrollTop = this.log.scrollHeight;
    this.trimOldest();
  }

  showJump() {
    const n = this.unseen;
    this.jump.hidden = !n && !this.detached;
    this.jump.textContent = n ? (n === 1 ? '1 new message ↓' : n + ' new messages ↓')
      : 'Newest messages ↓';
  }

  /** A call that recalls, rewrites or deletes a message of this tenant: the drawn messages are
   * read again (the journal marks them; no message event says so). */
  changed(call) {
    if (call.provider !== this.route.provider || call.tenant !== this.route.tenant) return;
    if (!EDITS.test(call.path) && call.method !== 'DELETE') return;
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.refreshShown(), 300);
  }

  async refreshShown() {
    const last = this.log.lastElementChild;
    if (!last || !this.node.isConnected) return;
    const token = this.token;
    const res = await this.fetch(Number(last.dataset.seq) + 1, this.log.children.length);
    if (token !== this.token || !res) return;
    for (const entry of res.messages) {
      const li = this.log.querySelector('li.msg[data-seq="' + entry.seq + '"]');
      if (li && (li.raw.recalled !== entry.recalled || li.raw.modified !== entry.modified ||
        JSON.stringify(li.raw.content) !== JSON.stringify(entry.content))) {
        li.replaceWith(this.bubble(entry));
      }
    }
    this.fixRuns();
  }

  /** One message as a bubble: sender, body, time, provider id, marks and its raw record. */
  bubble(entry) {
    const li = el('li', 'msg ' + this.side(entry));
    li.dataset.testid = 'message';
    li.dataset.seq = String(entry.seq);
    li.dataset.id = String(entry.id);
    li.dataset.from = String(entry.from);
    li.dataset.day = dayName(entry.received_at_ms);
    if (entry.recalled) li.dataset.recalled = 'true';
    const bubble = el('div', 'bubble');
    bubble.append(el('div', 'sender', this.sender(entry)));
    const body = renderBody(entry);
    body.dataset.testid = 'message-body';
    bubble.append(body, this.meta(entry));
    li.append(bubble);
    li.raw = entry;
    return li;
  }

  meta(entry) {
    const meta = el('div', 'meta');
    const time = el('time', null, clockTime(new Date(entry.received_at_ms)));
    time.dateTime = new Date(entry.received_at_ms).toISOString();
    time.title = time.dateTime + ' (emulator clock)';
    const id = el('span', 'msgid', String(entry.id));
    id.title = 'the provider’s message id';
    meta.append(time, id);
    if (entry.recalled) meta.append(el('span', 'mark recalled', 'recalled'));
    if (entry.modified) meta.append(el('span', 'mark edited', 'edited'));
    const raw = el('button', 'raw', '{ }');
    raw.type = 'button';
    raw.setAttribute('aria-label', 'Raw record');
    raw.title = 'Raw record';
    meta.append(raw);
    return meta;
  }

  /** Single chats: the second of the two users on the right; orders: the merchant on the
   * right (a user's message goes `to` "admin"); other chats all on the left. */
  side(entry) {
    const members = this.conv.members || [];
    if (entry.chat_type === 'order') return entry.to === 'admin' ? 'left' : 'right';
    return entry.chat_type === 'single' && entry.from === members[1] ? 'right' : 'left';
  }

  /** Who sent it: the user, or in an order the user's id or the merchant. */
  sender(entry) {
    if (entry.chat_type !== 'order') return String(entry.from);
    return entry.to === 'admin' ? 'user ' + entry.from : 'merchant';
  }

  clicked(event) {
    const button = event.target.closest('button.raw');
    if (!button) return;
    const li = button.closest('li.msg');
    this.dialog.querySelector('pre').textContent = pretty(li.raw);
    this.dialog.showModal();
  }

  /** A day line above each message whose day differs from the one before it; a message from
   * the sender of the one before it on the same day continues its run (no name again). */
  fixRuns() {
    let before = {};
    for (const li of this.log.children) {
      const day = li.dataset.day;
      const line = li.firstElementChild.classList.contains('day') ? li.firstElementChild : null;
      if (day !== before.day && !line) li.prepend(el('div', 'day', day));
      if (day === before.day && line) line.remove();
      li.classList.toggle('cont', day === before.day && li.dataset.from === before.from);
      before = { day, from: li.dataset.from };
    }
  }
}

/** The dialog that shows a message's raw journal record. */
function rawDialog() {
  const dialog = el('dialog', 'raw-dialog');
  dialog.setAttribute('aria-label', 'Raw record');
  const head = el('div', 'dialog-head');
  head.append(el('h3', null, 'Raw journal record'));
  const close = el('button', null, 'Close');
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  head.append(close);
  dialog.append(head, el('pre', 'json'));
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  return dialog;
}
