// The inspector: how a journal entry's message body reads to a person. Each provider's body
// (Easemob `body`, OpenIM `content`, Yunxin `message`, AnqiCMS `content` text) is first described
// in one shape ({kind, text, url, thumb, name, size, duration, lat, lng, address, json, label}),
// then drawn as DOM (renderBody) or summed up in one line (preview). Contents are untrusted:
// only textContent, and links only to http(s) URLs.

const DESCRIBE = {
  easemob: easemob,
  openim: openim,
  yunxin: yunxin,
  anqicms: anqicms,
};

/** The entry's body as DOM. */
export function renderBody(entry) {
  const view = describe(entry);
  const box = el('div', 'body body-' + view.kind);
  DRAW[view.kind](box, view);
  return box;
}

/** The entry's body in one line of text. */
export function preview(entry) {
  const v = describe(entry);
  const place = v.lat !== undefined ? coord(v.lat) + ', ' + coord(v.lng) : '';
  const text = v.text || v.name || v.address || place || compact(v.json);
  const tag = v.kind === 'text' && !v.label ? '' : '[' + (v.label || v.kind) + '] ';
  const length = duration(v.duration);
  return oneLine(tag + text + (length ? ' · ' + length : ''));
}

/** What the entry holds, in the common shape. */
export function describe(entry) {
  const content = entry.content;
  const by = DESCRIBE[entry.provider];
  try {
    const view = by ? by(entry.type, content) : null;
    if (view) return view;
  } catch (_) {
    // a body that is not what its type says: shown as it is below
  }
  return { kind: 'json', label: String(entry.type), json: content };
}

// Easemob: `type` names the body (`txt`, `img`, ...); `content` is `body` as the client sent it.
function easemob(type, b) {
  b = b || {};
  switch (type) {
    case 'txt': return { kind: 'text', text: str(b.msg) };
    case 'img': return media('image', b.url, b.filename, b.file_length, {
      thumb: b.url, width: b.size && b.size.width, height: b.size && b.size.height });
    case 'audio': return media('voice', b.url, b.filename, b.file_length, { duration: b.length });
    case 'video': return media('video', b.url, b.filename, b.file_length,
      { thumb: b.thumb, duration: b.length });
    case 'file': return media('file', b.url, b.filename, b.file_length);
    case 'loc': return { kind: 'location', lat: b.lat, lng: b.lng, address: str(b.addr) };
    case 'cmd': return { kind: 'command', label: 'command', text: str(b.action), json: rest(b) };
    case 'custom': return { kind: 'custom', label: 'custom', text: str(b.customEvent),
      json: b.customExts !== undefined ? b.customExts : b };
    default: return null;
  }
}

// OpenIM: `type` is the contentType; keys of `content` match in any case, as OpenIM reads them.
function openim(type, c) {
  const get = (o, key) => pick(o, key);
  switch (type) {
    case 101: return { kind: 'text', text: str(get(c, 'content')) };
    case 102: {
      const source = get(c, 'sourcePicture') || {};
      const small = get(c, 'snapshotPicture') || get(c, 'bigPicture') || source;
      return media('image', get(source, 'url'), get(source, 'uuid'), get(source, 'size'), {
        thumb: get(small, 'url'), width: get(source, 'width'), height: get(source, 'height') });
    }
    case 103: return media('voice', get(c, 'sourceUrl'), get(c, 'uuid'), get(c, 'dataSize'),
      { duration: get(c, 'duration') });
    case 104: return media('video', get(c, 'videoUrl'), get(c, 'videoUUID'), get(c, 'videoSize'),
      { thumb: get(c, 'snapshotUrl'), duration: get(c, 'duration') });
    case 105: return media('file', get(c, 'sourceUrl'), get(c, 'fileName'), get(c, 'fileSize'));
    case 106: return { kind: 'text', text: str(get(c, 'text')),
      label: mentions(get(c, 'atUserList')) };
    case 109: return { kind: 'location', lat: get(c, 'latitude'), lng: get(c, 'longitude'),
      address: str(get(c, 'description')) };
    case 110: return { kind: 'custom', label: 'custom', text: str(get(c, 'description')),
      json: parsed(get(c, 'data')) };
    default:
      if (type >= 1000) return { kind: 'json', label: 'notification ' + type, json: notice(c) };
      return null;
  }
}

// Yunxin: `type` is message_type; `content` is the whole `message` object as sent.
function yunxin(type, m) {
  const a = (m && m.attachment) || {};
  const seconds = (ms) => (typeof ms === 'number' ? ms / 1000 : undefined);
  switch (type) {
    case 0: return { kind: 'text', text: str(m.text) };
    case 1: return media('image', a.url, a.name, a.size,
      { thumb: a.url, width: a.w || a.width, height: a.h || a.height });
    case 2: return media('voice', a.url, a.name, a.size, { duration: seconds(a.dur) });
    case 3: return media('video', a.url, a.name, a.size, { duration: seconds(a.dur) });
    case 4: return { kind: 'location', lat: a.lat, lng: a.lng, address: str(a.title) };
    case 6: return media('file', a.url, a.name, a.size);
    case 10: return { kind: 'tip', label: 'tip', text: str(m.text) };
    case 100: return { kind: 'custom', label: 'custom', text: str(m.text), json: a };
    default: return null;
  }
}

// AnqiCMS: `type` is the message_type name; `content` is a string.
function anqicms(type, content) {
  const text = str(content);
  const url = httpUrl(text);
  switch (type) {
    case 'text': return { kind: 'text', text };
    case 'image': return url ? media('image', url, null, null, { thumb: url })
      : { kind: 'text', label: 'image', text };
    case 'audio': return url ? media('voice', url) : { kind: 'text', label: 'voice', text };
    case 'video': return url ? media('video', url) : { kind: 'text', label: 'video', text };
    case 'file': return url ? media('file', url) : { kind: 'text', label: 'file', text };
    case 'location': return { kind: 'location', address: text };
    default: return { kind: 'text', label: type, text };
  }
}

function media(kind, url, name, size, more = {}) {
  const safe = httpUrl(url);
  return { kind, label: LABEL[kind], url: safe, name: str(name) || fileName(safe), size,
    ...more, thumb: httpUrl(more.thumb) };
}

const LABEL = { image: 'image', voice: 'voice', video: 'video', file: 'file' };

// The DOM of each kind.
const DRAW = {
  text: (box, v) => {
    if (v.label) box.append(el('span', 'tag', v.label));
    box.append(el('span', 'text', v.text));
  },
  tip: (box, v) => box.append(el('span', 'tag', 'tip'), el('em', 'text', v.text)),
  image: (box, v) => {
    if (v.thumb) {
      const img = thumb(v.thumb, v.name || 'image');
      box.append(v.url ? link(v.url, img) : img);
    }
    drawFile(box, v, dims(v));
  },
  voice: (box, v) => drawFile(box, v, duration(v.duration)),
  video: (box, v) => {
    if (v.thumb) box.append(link(v.url || v.thumb, thumb(v.thumb, 'video preview')));
    drawFile(box, v, duration(v.duration));
  },
  file: (box, v) => drawFile(box, v, ''),
  location: (box, v) => {
    box.append(el('span', 'tag', 'location'));
    if (v.lat !== undefined || v.lng !== undefined) {
      box.append(el('span', 'coords', coord(v.lat) + ', ' + coord(v.lng)));
    }
    if (v.address) box.append(el('span', 'text', v.address));
  },
  command: (box, v) => {
    box.append(el('span', 'tag', 'command'), el('code', 'action', v.text || '(no action)'));
    if (v.json) box.append(el('pre', 'json', pretty(v.json)));
  },
  custom: (box, v) => {
    box.append(el('span', 'tag', 'custom'));
    if (v.text) box.append(el('code', 'action', v.text));
    box.append(el('pre', 'json', pretty(v.json)));
  },
  json: (box, v) => {
    box.append(el('span', 'tag', v.label), el('pre', 'json', pretty(v.json)));
  },
};

function drawFile(box, v, detail) {
  const line = el('span', 'file');
  line.append(el('span', 'tag', v.label));
  const name = v.name || v.kind;
  line.append(v.url ? link(v.url, document.createTextNode(name)) : el('span', 'name', name));
  const facts = [detail, humanSize(v.size)].filter(Boolean).join(' · ');
  if (facts) line.append(el('span', 'media-facts', facts));
  box.append(line);
}

/** A lazy thumbnail that steps aside when its address cannot be loaded (offline, say). */
function thumb(src, alt) {
  const img = el('img', 'thumb');
  img.loading = 'lazy';
  img.decoding = 'async';
  img.alt = alt;
  img.addEventListener('error', () => (img.closest('a') || img).remove());
  img.src = src;
  return img;
}

function link(url, child) {
  const a = el('a');
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.append(child);
  return a;
}

/** An element with a class and text (never HTML). */
export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** `bytes` as people read sizes: 1.2 MB. */
export function humanSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n <= 0) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

function duration(seconds) {
  const n = Number(seconds);
  if (!Number.isFinite(n) || n <= 0) return '';
  const s = Math.round(n);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

function dims(v) {
  return v.width && v.height ? v.width + '×' + v.height : '';
}

function coord(n) {
  const v = Number(n);
  return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '?';
}

// An Easemob command body beyond its action, when it has more.
function rest(body) {
  const { action, ...more } = body;
  return Object.keys(more).length ? more : null;
}

function mentions(users) {
  return Array.isArray(users) && users.length ? '@' + users.map(str).join(' @') : '';
}

function fileName(url) {
  if (!url) return '';
  const path = url.split(/[?#]/)[0];
  return decodeURIComponentSafe(path.slice(path.lastIndexOf('/') + 1));
}

function decodeURIComponentSafe(text) {
  try {
    return decodeURIComponent(text);
  } catch (_) {
    return text;
  }
}

/** `url` when it is an absolute http(s) URL, else null. */
export function httpUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (_) {
    return null;
  }
}

// A key of an OpenIM object in any case.
function pick(obj, key) {
  if (!obj || typeof obj !== 'object') return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

// An OpenIM notification's `detail` is JSON text of its own.
function notice(c) {
  const detail = pick(c, 'detail');
  return detail === undefined ? c : { ...c, detail: parsed(detail) };
}

function parsed(value) {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (_) {
    return value;
  }
}

function str(value) {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `value` as indented JSON text. */
export function pretty(value) {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

function compact(value) {
  return value === undefined ? '' : JSON.stringify(value);
}

function oneLine(text) {
  const line = String(text).replace(/\s+/g, ' ').trim();
  return line.length > 140 ? line.slice(0, 139) + '…' : line;
}

/** `ms` on the emulator's clock as local time: the time alone today, else with the date. */
export function shortTime(ms) {
  const d = new Date(ms);
  if (dayName(ms) === dayName(Date.now())) return clockTime(d);
  return dayName(ms) + ' ' + clockTime(d).slice(0, 5);
}

/** The Date `d` as local HH:MM:SS. */
export function clockTime(d) {
  const two = (n) => String(n).padStart(2, '0');
  return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
}

/** The local day of `ms`: 2026-12-01. */
export function dayName(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
}
