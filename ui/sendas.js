// The inspector's "Send as" form: a text message from a user into the selected conversation,
// sent through the provider's own public API with the tenant's credentials (never the admin
// token), so that it is journaled and logged like any client's call; the provider's answer,
// success or its own error, shows beneath. AnqiCMS's merchant side has no public API: its
// messages go through the emulator's merchant route.

import { el, pretty } from './render.js';
import { labelled, refusal, submit } from './control.js';
import { hex, jwtHs256, sha1Hex } from './crypto.js';

const CHAT_TYPES = {
  easemob: [['single', 'One-to-one'], ['group', 'Group'], ['room', 'Chat room']],
  openim: [['single', 'One-to-one'], ['group', 'Group']],
  yunxin: [['single', 'One-to-one'], ['group', 'Advanced team'], ['super', 'Super team']],
  anqicms: [['order', 'Order']],
};

/** What From and To hold, per provider. */
const HINTS = {
  easemob: ['username', 'username, group or room id'],
  openim: ['userID', 'userID or groupID'],
  yunxin: ['account id', 'account or team id'],
  anqicms: ['user id, admin or system', 'order id'],
};

let lists = 0;

/** Draws the send-as form into `root`, prefilled from the selection. */
export function mount(root, ctx) {
  const view = new SendAs(ctx);
  root.append(view.form);
  ctx.on('select', () => view.prefill());
  view.prefill();
}

class SendAs {
  constructor(ctx) {
    this.ctx = ctx;
    this.form = el('form', 'send-as');
    this.form.dataset.testid = 'send-as';
    this.form.setAttribute('aria-labelledby', 'send-as-title');
    const title = el('h3', null, 'Send as');
    title.id = 'send-as-title';
    this.about = el('p', 'note');
    this.from = field('input', 'From');
    this.members = el('datalist');
    this.members.id = 'send-as-members-' + (lists += 1);
    this.from.setAttribute('list', this.members.id);
    this.to = field('input', 'To');
    this.chatType = field('select', 'Chat type');
    this.text = field('textarea', 'Message');
    this.text.rows = 2;
    this.text.required = true;
    this.send = submit('Send');
    this.result = el('p', 'send-result');
    this.result.dataset.testid = 'send-result';
    this.result.setAttribute('role', 'status');
    this.answer = el('details', 'send-answer');
    this.answer.hidden = true;
    this.answer.append(el('summary', null, 'The provider’s answer'), el('pre'));
    const row = el('div', 'send-as-fields');
    row.append(labelled('From', this.from), this.members, labelled('To', this.to),
      labelled('Chat type', this.chatType));
    this.form.append(title, this.about, row, labelled('Message', this.text), this.send,
      this.result, this.answer);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.form.requestSubmit();
    });
  }

  /** Fills From, To and Chat type from the selected tenant and conversation. */
  prefill() {
    const { provider, tenant, conversation: c } = this.ctx.selection();
    this.provider = provider;
    this.tenant = tenant;
    const types = CHAT_TYPES[provider];
    this.send.disabled = !types;
    if (!types) {
      this.about.textContent = 'Pick a tenant to send a message as one of its users.';
      return;
    }
    this.about.textContent = 'A text message through ' + provider + '’s own API (tenant ' +
      tenant + '), journaled and logged like any other call.';
    this.chatType.replaceChildren(...types.map(([value, text]) => new Option(text, value)));
    [this.from.placeholder, this.to.placeholder] = HINTS[provider];
    const members = c ? (c.members || []).map(String) : [];
    const names = provider === 'anqicms' ? [...members, 'admin', 'system'] : members;
    this.members.replaceChildren(...[...new Set(names)].map((m) => new Option(m, m)));
    if (!c) return;
    this.chatType.value = chatTypeOf(provider, c);
    if (this.chatType.selectedIndex < 0) this.chatType.selectedIndex = 0;
    this.to.value = provider === 'anqicms' ? c.conversation : c.to;
    this.from.value = c.chat_type === 'single'
      ? members.find((m) => m !== String(c.to)) || members[0] || ''
      : members[0] || '';
    if (provider === 'anqicms') this.orderUser(c.conversation);
  }

  /** An AnqiCMS order's user, from its journal records: the one who is not the merchant. */
  async orderUser(order) {
    const q = new URLSearchParams({ provider: 'anqicms', tenant: this.tenant,
      conversation: order, limit: '1' });
    const res = await this.ctx.api('/_emulator/messages?' + q);
    const entry = res.json && res.json.messages && res.json.messages[0];
    if (!entry) return;
    const user = entry.to === 'admin' ? entry.from : entry.to;
    this.from.value = String(user);
  }

  async submit() {
    const message = {
      from: this.from.value.trim(),
      to: this.to.value.trim(),
      chatType: this.chatType.value,
      text: this.text.value,
    };
    if (!message.from || !message.to || !message.text.trim()) {
      this.say('Give From, To and a message.');
      return;
    }
    this.send.disabled = true;
    this.say('Sending…');
    try {
      const info = await this.tenantInfo();
      if (!info) {
        this.say('The emulator has no ' + this.provider + ' tenant ' + this.tenant + '.');
        return;
      }
      const outcome = await SENDERS[this.provider](this.ctx, info, message);
      this.show(outcome);
      if (outcome.ok) this.text.value = '';
    } catch (err) {
      this.show({ ok: false, text: 'the call failed: ' + err.message });
    } finally {
      this.send.disabled = false;
    }
  }

  /** The selected tenant's listing (with its credentials), asked for when the shell's is older. */
  async tenantInfo() {
    const mine = (list) => list.find((t) => t.provider === this.provider && t.name === this.tenant);
    const known = mine(this.ctx.tenants());
    if (known) return known;
    const q = new URLSearchParams({ provider: this.provider });
    const res = await this.ctx.api('/_emulator/tenants?' + q);
    return mine((res.json && res.json.tenants) || []);
  }

  /** A line of the form's own (not the provider's answer). */
  say(text) {
    this.result.textContent = text;
    this.result.classList.remove('ok', 'bad');
    this.answer.hidden = true;
  }

  show({ ok, text, answer }) {
    this.result.textContent = (ok ? 'Sent: ' : 'Refused: ') + text;
    this.result.classList.toggle('ok', ok);
    this.result.classList.toggle('bad', !ok);
    this.answer.hidden = answer === undefined;
    this.answer.querySelector('pre').textContent =
      typeof answer === 'string' ? answer : pretty(answer);
  }
}

function field(tag, label) {
  const node = el(tag);
  if (tag === 'input') node.type = 'text';
  node.setAttribute('aria-label', label);
  node.autocomplete = 'off';
  return node;
}

/** The form's chat type of a conversation: Yunxin tells its team kind in the conversation id. */
function chatTypeOf(provider, c) {
  if (provider === 'yunxin' && c.chat_type === 'group') {
    return String(c.conversation || '').split('|')[1] === '3' ? 'super' : 'group';
  }
  return c.chat_type;
}

// ---- the providers' own calls -----------------------------------------------------------

/** A call to a provider route: plain fetch, JSON both ways, no admin token. */
async function call(path, headers, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (_) {
    json = null;
  }
  return { status: res.status, json, text, answer: json ?? text };
}

const tokens = new Map();

/** A token from the cache, or a fresh one from `fetchToken` ({token}, or an outcome to show). */
async function cachedToken(key, fresh, fetchToken) {
  if (!fresh && tokens.has(key)) return { token: tokens.get(key) };
  tokens.delete(key);
  const got = await fetchToken();
  if (got.token) tokens.set(key, got.token);
  return got;
}

/** Calls `send(token)` with a cached token, once more with a fresh one when it was refused. */
async function withToken(key, fetchToken, send, stale) {
  for (let attempt = 0; ; attempt += 1) {
    const got = await cachedToken(key, attempt > 0, fetchToken);
    if (!got.token) return got;
    const res = await send(got.token);
    if (attempt === 0 && stale(res)) continue;
    return res;
  }
}

/** The emulator's clock, in seconds: signatures and expiries follow it, not the browser's. */
async function clockSeconds(ctx) {
  const res = await ctx.api('/_emulator/clock');
  const ms = res.status === 200 && res.json ? res.json.now_ms : Date.now();
  return Math.floor(ms / 1000);
}

function randomHex(n) {
  return hex(crypto.getRandomValues(new Uint8Array(n)));
}

/** Easemob: an app token (client_credentials), then /messages/users|chatgroups|chatrooms. */
async function easemob(ctx, tenant, m) {
  const [org, app] = tenant.name.split('/');
  const base = '/' + encodeURIComponent(org) + '/' + encodeURIComponent(app);
  const creds = tenant.credentials || {};
  const given = (value) => (value && value !== '(any)' ? value : 'inspector');
  const fetchToken = async () => {
    const res = await call(base + '/token', {}, { grant_type: 'client_credentials',
      client_id: given(creds.client_id), client_secret: given(creds.client_secret) });
    const token = res.status === 200 && res.json && res.json.access_token;
    if (token) return { token };
    return { ok: false, text: 'token: ' + easemobError(res), answer: res.answer };
  };
  const route = { single: 'users', group: 'chatgroups', room: 'chatrooms' }[m.chatType];
  const body = { from: m.from, to: [m.to], type: 'txt', body: { msg: m.text } };
  const res = await withToken('easemob ' + tenant.name, fetchToken,
    (token) => call(base + '/messages/' + route, { Authorization: 'Bearer ' + token }, body),
    (r) => r.status === 401);
  if (res.ok === false) return res;
  const data = res.json && res.json.data;
  if (res.status === 200 && data) {
    return { ok: true, text: 'message id ' + (data[m.to] ?? pretty(data)), answer: res.answer };
  }
  return { ok: false, text: easemobError(res), answer: res.answer };
}

function easemobError(res) {
  const j = res.json || {};
  return 'HTTP ' + res.status + (j.error ? ' ' + j.error : '') +
    (j.error_description ? ': ' + j.error_description : '');
}

/** OpenIM: an admin token for the secret, then /msg/send_msg (101 text, session 1 or 3). */
async function openim(ctx, tenant, m) {
  const base = tenant.name === 'default' ? '' : '/tenants/' + encodeURIComponent(tenant.name);
  const op = () => ({ operationID: 'inspector-' + randomHex(6) });
  const fetchToken = async () => {
    const res = await call(base + '/auth/get_admin_token', op(),
      { secret: (tenant.credentials || {}).secret, userID: 'imAdmin' });
    if (res.json && res.json.errCode === 0) return { token: res.json.data.token };
    return { ok: false, text: 'admin token: ' + openimError(res), answer: res.answer };
  };
  const group = m.chatType === 'group';
  const body = { sendID: m.from, senderPlatformID: 1, content: { content: m.text },
    contentType: 101, sessionType: group ? 3 : 1 };
  if (group) body.groupID = m.to;
  else body.recvID = m.to;
  const res = await withToken('openim ' + tenant.name, fetchToken,
    (token) => call(base + '/msg/send_msg', { ...op(), token }, body),
    (r) => r.json && r.json.errCode >= 1500 && r.json.errCode < 1600);
  if (res.ok === false) return res;
  if (res.json && res.json.errCode === 0) {
    return { ok: true, text: 'message id ' + res.json.data.serverMsgID, answer: res.answer };
  }
  return { ok: false, text: openimError(res), answer: res.answer };
}

function openimError(res) {
  const j = res.json;
  if (!j || j.errCode === undefined) return 'HTTP ' + res.status + ' ' + res.text.slice(0, 200);
  return 'errCode ' + j.errCode + ' ' + j.errMsg + (j.errDlt ? ': ' + j.errDlt : '');
}

/** Yunxin: a call signed with the AppSecret (CheckSum = sha1(secret + Nonce + CurTime)). */
async function yunxin(ctx, tenant, m) {
  const creds = tenant.credentials || {};
  const curTime = String(await clockSeconds(ctx));
  const nonce = randomHex(16);
  const type = { single: 1, group: 2, super: 3 }[m.chatType];
  const conversation = encodeURIComponent(m.from + '|' + type + '|' + m.to);
  const res = await call('/im/v2/conversations/' + conversation + '/messages', {
    'Content-Type': 'application/json;charset=UTF-8',
    AppKey: creds.app_key || tenant.name,
    Nonce: nonce,
    CurTime: curTime,
    CheckSum: await sha1Hex(creds.app_secret + nonce + curTime),
  }, { message: { message_type: 0, text: m.text } });
  const j = res.json;
  if (j && j.code === 200) {
    return { ok: true, text: 'message id ' + j.data.message_server_id, answer: res.answer };
  }
  const why = j && j.code !== undefined ? 'code ' + j.code + ' ' + j.msg : 'HTTP ' + res.status;
  return { ok: false, text: why, answer: res.answer };
}

/** AnqiCMS: the order's user with a token signed like the site's, or the merchant. */
async function anqicms(ctx, tenant, m) {
  if (!/^\d+$/.test(m.to)) return { ok: false, text: 'To is the order id (a number).' };
  if (m.from === 'admin' || m.from === 'system') return merchant(ctx, tenant, m);
  if (!/^\d+$/.test(m.from)) {
    return { ok: false, text: 'From is the order’s user id (a number), or admin or system.' };
  }
  const base = tenant.name === 'default' ? '' : '/tenants/' + encodeURIComponent(tenant.name);
  const expiry = (await clockSeconds(ctx)) + 24 * 3600;
  const token = await jwtHs256({ userId: m.from, t: String(expiry) }, anqiKey(tenant));
  const res = await call(base + '/api/communication/message/send', { Token: token }, {
    comm_order_id: Number(m.to), sender_id: Number(m.from), message_type: 'text',
    content: m.text });
  const j = res.json;
  if (j && j.code === 0) return { ok: true, text: j.msg, answer: res.answer };
  const why = j && j.code !== undefined ? 'code ' + j.code + ' ' + j.msg : 'HTTP ' + res.status;
  return { ok: false, text: why, answer: res.answer };
}

/** The key a site signs user tokens with, as the tenants listing gives it. */
function anqiKey(tenant) {
  return (tenant.credentials || {}).token_key;
}

/** The merchant's message, through the emulator's merchant route (AnqiCMS has no public one). */
async function merchant(ctx, tenant, m) {
  const query = tenant.name === 'default' ? '' : '?tenant=' + encodeURIComponent(tenant.name);
  const res = await ctx.api('/_emulator/anqicms/orders/' + m.to + '/messages' + query, {
    method: 'POST',
    body: { sender_type: m.from, message_type: 'text', content: m.text },
  });
  if (res.status < 300 && res.json) {
    return { ok: true, text: 'message id ' + res.json.id, answer: res.json };
  }
  return { ok: false, text: refusal(res), answer: res.json ?? res.text };
}

const SENDERS = { easemob, openim, yunxin, anqicms };
