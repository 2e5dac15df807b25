// Motion on the page: a badge on each camera's caption that lights up while the hub sees motion
// (live from the SSE event "motion"), the zones and masks drawn over the camera's picture, an editor
// to draw them (click the corners, "Finish shape", "Save": PUT /api/motion/<camera>/zones, applied at
// once and kept by the hub), and a list of recent events with their thumbnails.
import { hubRelative } from './paths.js';

const section = document.getElementById('motion');
const list = section?.querySelector('.motion-events');
const cameras = new Map(); // name -> { badge, canvas, zones, masks, editing, draft, kind }
const MAX_EVENTS = 12;

function fmtTime(iso) {
  const d = new Date(iso);
  return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function eventItem(e) {
  const li = document.createElement('li');
  li.className = 'motion-event';
  li.dataset.id = e.id;
  li.dataset.camera = e.camera;
  if (e.thumbnail) {
    const img = document.createElement('img');
    img.src = hubRelative(e.thumbnail) + (e.ongoing ? '' : '?done=1');
    img.alt = `Motion on ${e.camera} at ${fmtTime(e.start)}`;
    img.width = 160;
    img.height = 120;
    li.append(img);
  }
  const text = document.createElement('span');
  text.className = 'motion-text';
  const what = e.ongoing ? 'motion now' : `${Math.max(0, Math.round(e.seconds ?? 0))} s`;
  text.textContent = `${e.camera}${e.zone ? ` (${e.zone})` : ''}: ${fmtTime(e.start)}, ${what}${e.night ? ', night' : ''}`;
  li.append(text);
  return li;
}

function showEvent(e) {
  if (!list) return;
  list.querySelector('.motion-empty')?.remove();
  const old = list.querySelector(`li[data-id="${e.id}"]`);
  const li = eventItem(e);
  if (old) old.replaceWith(li);
  else list.prepend(li);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

function setBadge(name, moving) {
  const c = cameras.get(name);
  if (!c?.badge) return;
  c.badge.dataset.moving = moving ? 'true' : 'false';
  c.badge.textContent = moving ? 'motion' : 'still';
}

// The picture's place inside the video element (object-fit: contain), in the canvas's pixels.
function pictureRect(video, canvas) {
  const cw = canvas.width;
  const ch = canvas.height;
  const vw = video.videoWidth || 4;
  const vh = video.videoHeight || 3;
  const scale = Math.min(cw / vw, ch / vh);
  const w = vw * scale;
  const h = vh * scale;
  return { x: (cw - w) / 2, y: (ch - h) / 2, w, h };
}

function draw(name) {
  const c = cameras.get(name);
  if (!c?.canvas) return;
  const { canvas, video } = c;
  canvas.width = canvas.clientWidth;
  canvas.height = canvas.clientHeight;
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const r = pictureRect(video, canvas);
  const shape = (points, stroke, fill, closed) => {
    if (!points.length) return;
    g.beginPath();
    points.forEach(([x, y], i) => (i ? g.lineTo : g.moveTo).call(g, r.x + x * r.w, r.y + y * r.h));
    if (closed) g.closePath();
    g.strokeStyle = stroke;
    g.lineWidth = 2;
    g.stroke();
    if (closed) { g.fillStyle = fill; g.fill(); }
  };
  for (const z of c.zones) shape(z.points, '#14b8a6', 'rgba(20,184,166,0.15)', true);
  for (const m of c.masks) shape(m.points, '#f87171', 'rgba(248,113,113,0.25)', true);
  if (c.editing) shape(c.draft, c.kind === 'mask' ? '#f87171' : '#14b8a6', 'transparent', false);
}

async function save(name) {
  const c = cameras.get(name);
  const res = await fetch(hubRelative(`/api/motion/${name}/zones`), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ zones: c.zones, masks: c.masks }),
  });
  const body = await res.json().catch(() => ({}));
  c.message.textContent = res.ok ? 'saved' : (body.error || body.title || `not saved (${res.status})`);
  if (res.ok) { c.zones = body.zones; c.masks = body.masks; }
  draw(name);
}

function editor(name, figure) {
  const c = cameras.get(name);
  const bar = document.createElement('div');
  bar.className = 'motion-editor';
  bar.hidden = true;
  const button = (label, cls, fn) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = cls;
    b.addEventListener('click', fn);
    bar.append(b);
    return b;
  };
  const kind = document.createElement('select');
  kind.className = 'motion-kind';
  kind.setAttribute('aria-label', 'Draw a zone or a mask');
  for (const [v, t] of [['zone', 'zone (only here counts)'], ['mask', 'mask (ignored)']]) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = t;
    kind.append(o);
  }
  kind.addEventListener('change', () => { c.kind = kind.value; draw(name); });
  bar.append(kind);
  button('Finish shape', 'motion-finish', () => {
    if (c.draft.length < 3) { c.message.textContent = 'click at least three corners on the picture'; return; }
    const list = c.kind === 'mask' ? c.masks : c.zones;
    list.push({ name: `${c.kind} ${list.length + 1}`, points: c.draft });
    c.draft = [];
    c.message.textContent = '';
    draw(name);
  });
  button('Clear all', 'motion-clear', () => { c.zones = []; c.masks = []; c.draft = []; draw(name); });
  button('Save', 'motion-save', () => save(name));
  c.message = document.createElement('span');
  c.message.className = 'motion-message';
  bar.append(c.message);
  figure.append(bar);
  return bar;
}

function attach(name, figure, state) {
  const wrap = figure.querySelector('.video-wrap');
  const video = figure.querySelector('video');
  const caption = figure.querySelector('figcaption');
  if (!wrap || !video || !caption) return false;
  const badge = document.createElement('span');
  badge.className = 'camera-motion';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'motion-zones';
  toggle.textContent = 'Zones';
  caption.append(' ', badge, ' ', toggle);
  const canvas = document.createElement('canvas');
  canvas.className = 'motion-overlay';
  canvas.setAttribute('aria-label', `Motion zones of camera ${name}`);
  wrap.append(canvas);
  const c = { badge, canvas, video, zones: state.zones || [], masks: state.masks || [], editing: false, draft: [], kind: 'zone' };
  cameras.set(name, c);
  const bar = editor(name, figure);
  toggle.addEventListener('click', () => {
    c.editing = !c.editing;
    c.draft = [];
    bar.hidden = !c.editing;
    canvas.dataset.editing = c.editing ? 'true' : 'false';
    toggle.textContent = c.editing ? 'Done' : 'Zones';
    draw(name);
  });
  canvas.addEventListener('click', (ev) => {
    if (!c.editing) return;
    const box = canvas.getBoundingClientRect();
    const r = pictureRect(video, canvas);
    const x = ((ev.clientX - box.left) * (canvas.width / box.width) - r.x) / r.w;
    const y = ((ev.clientY - box.top) * (canvas.height / box.height) - r.y) / r.h;
    if (x < 0 || x > 1 || y < 0 || y > 1) return;
    c.draft.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]);
    draw(name);
  });
  video.addEventListener('loadedmetadata', () => draw(name));
  new ResizeObserver(() => draw(name)).observe(wrap);
  setBadge(name, state.moving);
  draw(name);
  return true;
}

// The camera boxes are built by js/video.js: attach to each as it appears.
function whenFigure(name, state) {
  const tryAttach = () => {
    const fig = document.getElementById(`camera-${name}`);
    return fig && fig.querySelector('video') && attach(name, fig, state);
  };
  if (tryAttach()) return;
  const obs = new MutationObserver(() => { if (tryAttach()) obs.disconnect(); });
  obs.observe(document.getElementById('cameras'), { childList: true, subtree: true });
}

async function load() {
  let body;
  try {
    const res = await fetch(hubRelative('/api/motion'));
    if (!res.ok) return;
    body = await res.json();
  } catch { return; }
  if (!body.enabled || !body.cameras.length) {
    if (section) section.hidden = true;
    return;
  }
  for (const cam of body.cameras) {
    if (!cameras.has(cam.name)) whenFigure(cam.name, cam);
  }
  if (list) {
    list.replaceChildren();
    if (!body.events.length) {
      const p = document.createElement('li');
      p.className = 'motion-empty';
      p.textContent = 'No motion in the last 24 hours.';
      list.append(p);
    }
    for (const e of body.events.slice(0, MAX_EVENTS).reverse()) showEvent(e);
  }
}

window.addEventListener('beeper:motion', (ev) => {
  const e = ev.detail;
  setBadge(e.camera, e.ongoing);
  showEvent(e);
});
window.addEventListener('beeper:sse-open', load);
load();
