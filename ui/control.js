// The inspector's control panel (#/control): reset everything or the selected tenant, the
// emulator's clock (read, pin, advance, release) and the fault rules (list with their fired
// counts, add, remove one or all), each through the admin API.

import { el } from './render.js';

/** Draws the control panel into `root`. */
export function mount(root, ctx) {
  const panel = el('section', 'panel control-panel');
  panel.setAttribute('aria-labelledby', 'control-title');
  const title = el('h1', null, 'Control');
  title.id = 'control-title';
  panel.append(title, resetSection(ctx), clockSection(ctx), faultsSection(ctx));
  root.append(panel);
}

// ---- reset ----------------------------------------------------------------------------------

function resetSection(ctx) {
  const section = box('Reset');
  const outcome = line();
  const all = button('Reset everything');
  const one = button('Reset this tenant');
  const which = el('select');
  which.setAttribute('aria-label', 'Tenant to reset');
  const fill = async () => {
    const { provider, tenant } = ctx.selection();
    const chosen = which.value || (provider && tenant ? provider + ' ' + tenant : '');
    which.replaceChildren(new Option('choose a tenant', ''), ...(await tenants(ctx)).map((t) =>
      new Option(t.provider + ' · ' + t.name, t.provider + ' ' + t.name)));
    which.value = chosen;
    if (which.selectedIndex < 0) which.value = '';
    one.disabled = !which.value;
  };
  which.addEventListener('change', () => {
    one.disabled = !which.value;
  });
  fill();
  ctx.on('select', fill);
  ctx.on('reset', fill);
  all.addEventListener('click', () => {
    const question = 'Reset everything? Every tenant, message, logged call and fault rule is ' +
      'forgotten; fixture tenants come back as the fixtures make them.';
    if (confirm(question)) reset(ctx, '', outcome);
  });
  one.addEventListener('click', () => {
    const [provider, ...rest] = which.value.split(' ');
    const tenant = rest.join(' ');
    if (!confirm('Reset ' + provider + ' tenant ' + tenant + '? Its state and messages are ' +
      'forgotten; a fixture tenant comes back as the fixtures make it.')) return;
    reset(ctx, '?' + new URLSearchParams({ provider, tenant }), outcome);
  });
  section.append(el('p', 'note', 'Resetting forgets state; it cannot be undone.'),
    buttons(all, labelled('Tenant', which), one), outcome);
  return section;
}

/** The tenants the shell listed, or (before it has) the listing itself. */
async function tenants(ctx) {
  if (ctx.tenants().length) return ctx.tenants();
  const res = await ctx.api('/_emulator/tenants');
  return (res.json && res.json.tenants) || [];
}

async function reset(ctx, query, outcome) {
  const res = await ctx.api('/_emulator/reset' + query, { method: 'POST' });
  if (res.status !== 200) {
    outcome.textContent = 'Reset refused: ' + refusal(res);
    return;
  }
  const { reset: providers, tenant } = res.json;
  outcome.textContent = 'Reset ' + (tenant ? 'tenant ' + tenant + ' of ' : '') +
    providers.join(', ') + '.';
  ctx.emit('reset', res.json);
}

// ---- the clock ------------------------------------------------------------------------------

function clockSection(ctx) {
  const section = box('Clock');
  const reading = el('p', 'clock-reading');
  reading.dataset.testid = 'control-clock';
  const outcome = line();
  let last = null;
  const draw = () => {
    const ms = last.frozen ? last.now_ms : last.now_ms + (Date.now() - last.read_at);
    reading.textContent = new Date(ms).toISOString() + (last.frozen ? ' · pinned' : ' · running');
  };
  const show = (json) => {
    last = { ...json, read_at: Date.now() };
    draw();
    at.value = localInput(json.now_ms);
  };
  const ticker = setInterval(() => {
    if (!reading.isConnected) clearInterval(ticker);
    else if (last) draw();
  }, 1000);
  const call = async (path, method, body) => {
    const res = await ctx.api('/_emulator/clock' + path, { method, body });
    if (res.status === 200 && res.json) {
      show(res.json);
      outcome.textContent = '';
    } else {
      outcome.textContent = 'Refused: ' + refusal(res);
    }
  };
  const at = el('input');
  at.type = 'datetime-local';
  at.step = '1';
  at.setAttribute('aria-label', 'Pin clock at');
  const running = el('input');
  running.type = 'checkbox';
  const pin = form(labelled('Pin at (local time)', at), labelled('Keep it running', running),
    submit('Pin'));
  pin.addEventListener('submit', (e) => {
    e.preventDefault();
    const ms = new Date(at.value).getTime();
    if (Number.isNaN(ms)) outcome.textContent = 'Give a date and time to pin the clock at.';
    else call('', 'PUT', { now_ms: ms, running: running.checked });
  });
  const by = el('input');
  by.type = 'number';
  by.step = '1';
  by.value = '60000';
  by.setAttribute('aria-label', 'Advance by (ms)');
  const advance = form(labelled('Advance by (ms)', by), submit('Advance'));
  advance.addEventListener('submit', (e) => {
    e.preventDefault();
    call('/advance', 'POST', { ms: Math.trunc(Number(by.value)) });
  });
  const quick = [['+1 minute', 60000], ['+1 hour', 3600000], ['+1 day', 86400000]].map(
    ([text, ms]) => {
      const b = button(text);
      b.addEventListener('click', () => call('/advance', 'POST', { ms }));
      return b;
    },
  );
  const release = button('Release clock');
  release.addEventListener('click', () => call('', 'DELETE'));
  section.append(reading, pin, advance, buttons(...quick, release), outcome);
  call('', 'GET');
  return section;
}

/** `ms` as a datetime-local input's value (local time, to the second). */
function localInput(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' +
    two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
}

// ---- fault rules ----------------------------------------------------------------------------

const PROVIDERS = ['easemob', 'openim', 'yunxin', 'anqicms'];
const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const FAULT_COLUMNS = ['Id', 'Provider', 'Tenant', 'Method', 'Path', 'Answer', 'Left',
  'Probability', 'Fired', 'Actions'];

function faultsSection(ctx) {
  const section = box('Fault rules');
  const outcome = line();
  const body = el('tbody');
  const table = el('table', 'faults-table');
  table.dataset.testid = 'faults';
  table.append(tableHead(FAULT_COLUMNS), body);
  const load = async () => {
    const res = await ctx.api('/_emulator/faults');
    if (res.status !== 200 || !res.json) {
      outcome.textContent = 'Could not read the fault rules: ' + refusal(res);
      return;
    }
    body.replaceChildren(...res.json.faults.map((rule) => faultRow(rule, remove)));
    if (!res.json.faults.length) {
      body.append(emptyRow('No fault rules: every call is answered normally.'));
    }
  };
  const remove = async (id) => {
    const res = await ctx.api('/_emulator/faults' + (id ? '/' + id : ''), { method: 'DELETE' });
    outcome.textContent = res.status === 204
      ? (id ? 'Removed fault rule ' + id + '.' : 'Removed every fault rule.')
      : 'Refused: ' + refusal(res);
    load();
  };
  const refresh = button('Refresh');
  refresh.addEventListener('click', load);
  const clear = button('Remove all faults');
  clear.addEventListener('click', () => remove(null));
  const wrap = el('div', 'table-wrap');
  wrap.append(table);
  section.append(el('p', 'note', 'Rules pick calls by provider, tenant, method and path (* for ' +
    'any run of characters) and answer them with one of the provider\u2019s own errors, a ' +
    'delay, or a dropped connection.'), wrap, buttons(refresh, clear),
  faultForm(ctx, outcome, load), outcome);
  let soon = 0;
  ctx.on('reset', load);
  ctx.on('request', (entry) => {
    if (entry.fault === null || entry.fault === undefined || soon) return;
    soon = setTimeout(() => {
      soon = 0;
      load();
    }, 300);
  });
  load();
  return section;
}

function faultRow(rule, remove) {
  const tr = el('tr');
  tr.dataset.testid = 'fault';
  tr.dataset.id = String(rule.id);
  const answer = [rule.error && 'error ' + rule.error,
    rule.latency_ms && rule.latency_ms + ' ms late',
    rule.close && 'close the connection'].filter(Boolean).join(', ');
  const cells = [rule.id, rule.provider || 'any', rule.tenant || 'any', rule.method || 'any',
    rule.path || '*', answer, rule.left ?? 'every call', rule.probability ?? 1, rule.fired];
  for (const value of cells) tr.append(el('td', null, String(value)));
  const drop = button('Remove');
  drop.setAttribute('aria-label', 'Remove fault ' + rule.id);
  drop.addEventListener('click', () => remove(rule.id));
  const td = el('td');
  td.append(drop);
  tr.append(td);
  return tr;
}

function emptyRow(text) {
  const tr = el('tr');
  const td = el('td', 'note', text);
  td.colSpan = FAULT_COLUMNS.length;
  tr.append(td);
  return tr;
}

/** The form that adds a rule; a refused error name fills the list of the provider's errors. */
function faultForm(ctx, outcome, load) {
  const f = el('form', 'fault-form');
  const field = (tag, label, type) => {
    const input = el(tag);
    if (type) input.type = type;
    input.setAttribute('aria-label', label);
    return input;
  };
  const provider = field('select', 'Fault provider');
  for (const p of PROVIDERS) provider.append(new Option(p, p));
  const tenant = field('input', 'Fault tenant', 'text');
  tenant.placeholder = 'any';
  const method = field('select', 'Fault method');
  for (const m of METHODS) method.append(new Option(m || 'any', m));
  const path = field('input', 'Fault path', 'text');
  path.placeholder = '/*/*/messages/*';
  const error = field('input', 'Fault error', 'text');
  const names = el('datalist');
  names.id = 'fault-errors';
  error.setAttribute('list', names.id);
  const latency = field('input', 'Fault latency (ms)', 'number');
  latency.min = '0';
  const close = field('input', 'Fault closes the connection', 'checkbox');
  const times = field('input', 'Fault times', 'number');
  times.min = '1';
  times.placeholder = 'every call';
  const probability = field('input', 'Fault probability', 'number');
  probability.min = '0';
  probability.max = '1';
  probability.step = 'any';
  probability.placeholder = '1';
  provider.addEventListener('change', () => names.replaceChildren());
  f.append(el('h3', null, 'Add a rule'),
    labelled('Provider', provider), labelled('Tenant (optional)', tenant),
    labelled('Method', method), labelled('Path', path), labelled('Error', error), names,
    labelled('Latency (ms)', latency), labelled('Close the connection', close),
    labelled('Times', times), labelled('Probability', probability), submit('Add fault'));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const rule = { provider: provider.value };
    const text = (input) => input.value.trim();
    if (text(tenant)) rule.tenant = text(tenant);
    if (method.value) rule.method = method.value;
    if (text(path)) rule.path = text(path);
    if (text(error)) rule.error = text(error);
    if (text(latency)) rule.latency_ms = Number(latency.value);
    if (close.checked) rule.close = true;
    if (text(times)) rule.times = Number(times.value);
    if (text(probability)) rule.probability = Number(probability.value);
    const res = await ctx.api('/_emulator/faults', { method: 'POST', body: rule });
    if (res.status === 201) {
      outcome.textContent = 'Added fault rule ' + res.json.id + '.';
      load();
    } else {
      outcome.textContent = 'Refused: ' + refusal(res);
      fillNames(names, res);
    }
  });
  return f;
}

/** The error names a refusal lists ("... it has: a, b, c"), as the datalist's options. */
function fillNames(list, res) {
  const message = (res.json && res.json.message) || '';
  const at = message.indexOf('it has: ');
  if (at < 0) return;
  const names = [...new Set(message.slice(at + 8).split(', '))];
  list.replaceChildren(...names.map((name) => new Option(name, name)));
}

// ---- small builders (labelled, submit, tableHead and refusal serve the other panels too) ----

/** A section with a heading. */
function box(heading) {
  const section = el('section', 'control-box');
  const h = el('h2', null, heading);
  h.id = 'control-' + heading.toLowerCase().replace(/\W+/g, '-');
  section.setAttribute('aria-labelledby', h.id);
  section.append(h);
  return section;
}

/** An outcome line, read out when it changes. */
function line() {
  const p = el('p', 'outcome');
  p.setAttribute('role', 'status');
  return p;
}

function button(text) {
  const b = el('button', null, text);
  b.type = 'button';
  return b;
}

export function submit(text) {
  const b = el('button', 'primary', text);
  b.type = 'submit';
  return b;
}

function buttons(...items) {
  const div = el('div', 'buttons');
  div.append(...items);
  return div;
}

function form(...items) {
  const f = el('form', 'inline-form');
  f.append(...items);
  return f;
}

/** A table's head row of column names. */
export function tableHead(names) {
  const head = el('tr');
  for (const name of names) {
    const th = el('th', null, name);
    th.scope = 'col';
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  return thead;
}

/** A control with its visible label. */
export function labelled(text, control) {
  const label = el('label');
  label.append(el('span', null, text), control);
  return label;
}

/** The admin API's reason for refusing a call. */
export function refusal(res) {
  return res.json && res.json.message ? res.json.message : 'HTTP ' + res.status;
}
