// Time-lapse section: per camera, "yesterday in a minute" (yesterday's movie from
// /api/timelapse/<camera>/yesterday.mp4, or the newest day while there is no yesterday yet) and the
// list of days, each movie playing in the camera's player on click and downloadable. The movies are
// the camera's own keyframes retimed to the configured frame rate, so they play at once, seek (the
// hub answers Range requests) and cost the hub nothing to serve. Plain ES module, no inline code (strict CSP).
import { hubRelative } from './paths.js';
import { el, size } from './dom.js';

const REFRESH_S = 60;
const section = document.getElementById('timelapse');
const cameras = new Map(); // name -> { video, caption, list, shown }

function length(seconds) {
  return seconds >= 90 ? `${Math.round(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

function dayLabel(iso, today) {
  const d = new Date(`${iso}T12:00:00`);
  const text = d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  return today ? `${text} (today, so far)` : text;
}

function describe(day, movie) {
  const part = day.movies.length > 1 ? ` · part ${movie.part}` : '';
  return `${movie.frames} frames · ${length(movie.seconds)} · ${movie.width}×${movie.height} · ${size(movie.bytes)}${part}`;
}

// Shows one movie in the camera's player; plays it when the visitor asked for it.
function show(cam, url, caption, play) {
  cam.shown = url;
  cam.video.hidden = false;
  cam.empty.hidden = true;
  cam.video.src = url;
  cam.video.dataset.src = url;
  cam.caption.textContent = caption;
  for (const row of cam.list.querySelectorAll('.timelapse-day')) {
    row.classList.toggle('playing', row.dataset.url === url);
  }
  if (play) cam.video.play().catch(() => { /* the visitor presses play */ });
}

function build(name) {
  const box = el('article', 'timelapse-camera');
  box.id = `timelapse-${name}`;
  box.dataset.camera = name;
  box.append(el('h3', null, name));
  const area = el('div', 'video-area timelapse-player');
  const video = el('video');
  video.controls = true;
  video.muted = true;
  video.playsInline = true;
  video.preload = 'metadata';
  video.hidden = true;
  video.setAttribute('aria-label', `Time-lapse of camera ${name}`);
  const empty = el('p', 'timelapse-empty');
  area.append(video, empty);
  const caption = el('p', 'timelapse-caption');
  const list = el('ul', 'timelapse-days');
  list.setAttribute('aria-label', `Days of camera ${name}`);
  box.append(area, caption, list);
  const cam = { video, empty, caption, list, shown: null };
  cameras.set(name, cam);
  return box;
}

function renderCamera(body, c, interval) {
  if (!cameras.has(c.name)) body.append(build(c.name));
  const p = cameras.get(c.name);
  p.list.replaceChildren();
  for (const day of c.days) {
    for (const m of day.movies) {
      const url = hubRelative(m.url);
      const li = el('li', 'timelapse-day');
      li.dataset.url = url;
      li.dataset.day = day.day;
      const play = el('button', 'timelapse-play', dayLabel(day.day, day.today));
      play.type = 'button';
      play.title = 'Play this day';
      play.addEventListener('click', () => show(p, url, `${dayLabel(day.day, day.today)}: ${describe(day, m)}`, true));
      const facts = el('span', 'timelapse-facts', describe(day, m));
      const download = el('a', 'timelapse-download', 'Download');
      download.href = url;
      download.download = `${c.name}-${m.file}`;
      download.title = `Download ${c.name}'s ${m.file} (MP4)`;
      li.append(play, facts, download);
      li.classList.toggle('playing', p.shown === url);
      p.list.append(li);
    }
  }
  if (p.shown) return; // never interrupt what the visitor is watching
  if (c.yesterday) {
    const day = c.days.find((d) => d.movies.some((m) => m.file === c.yesterday.file));
    show(p, hubRelative(`/api/timelapse/${c.name}/yesterday.mp4`),
      `Yesterday in a minute: ${describe(day || { movies: [c.yesterday] }, c.yesterday)}`, false);
  } else if (c.days.length > 0) {
    const day = c.days[0];
    const m = day.movies[day.movies.length - 1];
    show(p, hubRelative(m.url), `No yesterday yet. ${dayLabel(day.day, day.today)}: ${describe(day, m)}`, false);
  } else {
    p.video.hidden = true;
    p.empty.hidden = false;
    p.empty.textContent = `No keyframe kept yet: one is kept every ${interval} s while the camera is live.`;
    p.caption.textContent = '';
  }
}

async function refresh() {
  let body;
  try {
    const r = await fetch('api/timelapse', { cache: 'no-store' });
    if (!r.ok) return;
    body = await r.json();
  } catch { return; } // hub restarting: the next refresh tries again
  const content = section.querySelector('.timelapse-body');
  let note = section.querySelector('.timelapse-note');
  if (!body.enabled || body.cameras.length === 0) {
    if (!note) { note = el('p', 'timelapse-note'); content.before(note); }
    note.textContent = body.enabled ? 'No camera: the time-lapse starts with the first camera.'
      : 'The time-lapse is off: set timelapse.enabled: true in beeper.yaml.';
    return;
  }
  note?.remove();
  for (const c of body.cameras) renderCamera(content, c, body.intervalSeconds);
  section.dataset.ready = 'yes';
}

if (section) {
  section.replaceChildren(el('h2', null, 'Time-lapse'), el('div', 'timelapse-body'));
  refresh();
  setInterval(refresh, REFRESH_S * 1000);
}
