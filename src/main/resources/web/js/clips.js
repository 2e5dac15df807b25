// Clips section: a "record" button per camera (the pre-roll and 30 s more), filters by camera, day
// and kind, the list of clips newest first (a thumbnail of each first keyframe, what started it, its
// length and part of its event), a player and a download link per clip. Clips are the camera's own
// H.264 in a faststart MP4: they play at once and seek (the hub answers Range requests). Plain ES
// module, no inline code (strict CSP).
import { hubRelative } from './paths.js';
import { el, size } from './dom.js';

const REFRESH_S = 15;
const RECORD_SECONDS = 30;
const section = document.getElementById('clips');
const KINDS = { motion: 'Motion', alert: 'Alert', manual: 'Recorded' };
let shown = null; // the clip id in the player
let busy = false;

function when(iso) {
  return new Date(iso).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function describe(c) {
  const part = c.part > 1 ? ` · part ${c.part} of its event` : '';
  return `${KINDS[c.kind] || c.kind} · ${c.duration.toFixed(1)} s · ${size(c.bytes)}${part}`;
}

function build() {
  section.replaceChildren();
  section.append(el('h2', null, 'Clips'));
  const buttons = el('div', 'clips-record');
  const filters = el('form', 'clips-filters');
  filters.setAttribute('aria-label', 'Filter clips');
  const camera = el('select', 'clips-camera');
  camera.name = 'camera';
  camera.setAttribute('aria-label', 'Camera');
  camera.append(new Option('All cameras', ''));
  const day = el('input', 'clips-day');
  day.type = 'date';
  day.name = 'day';
  day.setAttribute('aria-label', 'Day');
  const kind = el('select', 'clips-kind');
  kind.name = 'kind';
  kind.setAttribute('aria-label', 'Kind');
  kind.append(new Option('All kinds', ''));
  for (const [k, label] of Object.entries(KINDS)) kind.append(new Option(label, k));
  filters.append(camera, day, kind);
  filters.addEventListener('change', refresh);
  filters.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  const area = el('div', 'video-area clips-player');
  const video = el('video');
  video.controls = true;
  video.playsInline = true;
  video.preload = 'metadata';
  video.hidden = true;
  video.setAttribute('aria-label', 'Clip');
  area.append(video);
  const caption = el('p', 'clips-caption');
  const note = el('p', 'clips-note');
  const list = el('ul', 'clips-list');
  list.setAttribute('aria-label', 'Clips');
  section.append(buttons, filters, note, area, caption, list);
}

function play(c) {
  const video = section.querySelector('.clips-player video');
  shown = c.id;
  video.hidden = false;
  video.src = hubRelative(c.url);
  video.dataset.clip = c.id;
  section.querySelector('.clips-caption').textContent = `${c.camera}, ${when(c.start)}: ${describe(c)}`;
  for (const row of section.querySelectorAll('.clips-item')) row.classList.toggle('playing', row.dataset.id === c.id);
  video.play().catch(() => { /* the visitor presses play */ });
}

async function record(camera, button) {
  button.disabled = true;
  const status = section.querySelector('.clips-note');
  try {
    const r = await fetch(`api/clips/record?camera=${encodeURIComponent(camera)}&seconds=${RECORD_SECONDS}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    const body = await r.json().catch(() => ({}));
    status.textContent = r.ok ? `Recording ${camera}: ${body.preRollSeconds} s before the click and ${body.seconds} s after.`
      : `Not recording ${camera}: ${body.error || r.status}`;
  } catch {
    status.textContent = `Not recording ${camera}: the hub did not answer.`;
  }
  setTimeout(() => { button.disabled = false; }, 2000);
  refresh();
}

function renderButtons(cameras) {
  const box = section.querySelector('.clips-record');
  const select = section.querySelector('.clips-camera');
  for (const c of cameras) {
    let b = box.querySelector(`button[data-camera="${c.name}"]`);
    if (!b) {
      b = el('button', 'clips-record-button', `● Record ${c.name}`);
      b.type = 'button';
      b.dataset.camera = c.name;
      b.title = `Record ${c.name}: from a few seconds before now to ${RECORD_SECONDS} s after`;
      b.addEventListener('click', () => record(c.name, b));
      box.append(b);
      select.append(new Option(c.name, c.name));
    }
    b.classList.toggle('recording', c.recording);
    b.setAttribute('aria-pressed', c.recording ? 'true' : 'false');
  }
}

function renderList(clips) {
  const list = section.querySelector('.clips-list');
  list.replaceChildren();
  for (const c of clips) {
    const li = el('li', 'clips-item');
    li.dataset.id = c.id;
    li.dataset.camera = c.camera;
    li.dataset.kind = c.kind;
    const thumb = el('img', 'clips-thumb');
    thumb.loading = 'lazy';
    thumb.alt = `First picture of ${c.camera}'s clip at ${when(c.start)}`;
    thumb.src = hubRelative(c.thumbnail);
    // a busy hub may answer 503 while it makes the first thumbnail: ask again a little later
    thumb.addEventListener('error', () => {
      const tries = Number(thumb.dataset.tries || 0);
      if (tries >= 3) return;
      setTimeout(() => {
        thumb.dataset.tries = String(tries + 1);
        thumb.src = `${hubRelative(c.thumbnail)}?try=${tries + 1}`;
      }, 2000 * 2 ** tries);
    });
    thumb.width = 160;
    thumb.height = Math.round(160 * (c.height || 9) / (c.width || 16));
    const open = el('button', 'clips-play');
    open.type = 'button';
    open.title = 'Play this clip';
    open.append(thumb, el('span', 'clips-when', `${c.camera} · ${when(c.start)}`));
    open.addEventListener('click', () => play(c));
    const facts = el('span', 'clips-facts', describe(c));
    facts.title = c.why ? `Started by: ${c.why}` : '';
    const download = el('a', 'clips-download', 'Download');
    download.href = hubRelative(c.url);
    download.download = `${c.id}.mp4`;
    download.title = `Download ${c.id}.mp4`;
    li.append(open, facts, download);
    li.classList.toggle('playing', c.id === shown);
    list.append(li);
  }
}

async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const q = new URLSearchParams();
    const camera = section.querySelector('.clips-camera')?.value;
    const day = section.querySelector('.clips-day')?.value;
    const kind = section.querySelector('.clips-kind')?.value;
    if (camera) q.set('camera', camera);
    if (day) q.set('day', day);
    if (kind) q.set('kind', kind);
    let body;
    try {
      const r = await fetch(`api/clips?${q}`, { cache: 'no-store' });
      if (!r.ok) return;
      body = await r.json();
    } catch { return; } // hub restarting: the next refresh tries again
    const note = section.querySelector('.clips-note');
    if (!body.enabled) {
      note.textContent = 'Clips are off: set recordings.enabled: true in beeper.yaml.';
      return;
    }
    renderButtons(body.cameras);
    if (!body.writing) note.textContent = 'Not recording: the disk is nearly full (recordings.minFreeBytes). Free space or delete clips.';
    else if (body.clips.length === 0 && !note.textContent) note.textContent = 'No clip yet: press Record, or wait for motion or an alert.';
    renderList(body.clips);
    section.dataset.ready = 'yes';
    if (body.cameras.some((c) => c.recording)) setTimeout(refresh, 3000);
  } finally {
    busy = false;
  }
}

if (section) {
  build();
  refresh();
  setInterval(refresh, REFRESH_S * 1000);
}
