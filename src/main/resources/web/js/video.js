// Live camera players. Builds one player per camera from GET /api/cameras (so it only asks for the
// tracks a camera really has): WebRTC where the hub offers it (js/webrtc.js), else MSE over
// WebSocket (ManagedMediaSource on iPhones), else LL-HLS; keeps close to the live edge, reconnects
// by itself, and shows a badge with protocol and delay. ?protocol=mse|hls forces one. The camera
// boxes are exactly the hub's cameras, in its order; every URL is page-relative (js/paths.js). While
// a hot CPU makes the hub lower a camera's frame rate or size, its caption shows a thermal badge.
import { hubRelative } from './paths.js';
import { HlsPlayer } from './hls-player.js';
import { MS, MsePlayer } from './mse-player.js';

const forcedProtocol = new URLSearchParams(window.location.search).get('protocol');

// A new box for a camera, after the boxes already shown (the hub's order).
function box(camera) {
  const section = document.getElementById('cameras');
  const el = document.createElement('figure');
  el.id = `camera-${camera.name}`;
  el.className = 'box camera';
  el.dataset.camera = camera.name;
  const caption = document.createElement('figcaption');
  const name = document.createElement('span');
  name.className = 'camera-name';
  name.textContent = camera.name;
  caption.append(name);
  el.append(caption);
  section.querySelector('.cameras-note')?.remove();
  section.append(el);
  return el;
}

function note(text) {
  const section = document.getElementById('cameras');
  let p = section.querySelector('.cameras-note');
  if (!p) {
    p = document.createElement('p');
    p.className = 'box cameras-note';
    section.append(p);
  }
  p.textContent = text;
}

function build(camera) {
  const el = box(camera);
  const caption = el.querySelector('figcaption');
  const state = document.createElement('span');
  state.className = 'camera-state';
  const lowered = document.createElement('span');
  lowered.className = 'camera-lowered';
  lowered.hidden = true;
  caption.append(' ', state, ' ', lowered);
  const wrap = document.createElement('div');
  wrap.className = 'video-area video-wrap';
  el.append(wrap);
  const video = document.createElement('video');
  video.setAttribute('aria-label', `Live video from camera ${camera.name}`);
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.controls = true;
  video.dataset.camera = camera.name;
  const badge = document.createElement('span');
  badge.className = 'video-badge';
  const status = document.createElement('span');
  status.className = 'video-status';
  status.hidden = true;
  wrap.append(video, badge, status);
  const startHttp = () => {
    const useHls = camera.outputs.hls && (forcedProtocol === 'hls' || !MS);
    const player = useHls ? new HlsPlayer(camera, video, badge)
      : MS ? new MsePlayer(camera, video, badge, status) : null;
    if (player instanceof MsePlayer) {
      player.onGiveUp = () => {
        clearInterval(player.timer);
        status.hidden = true;
        new HlsPlayer(camera, video, badge);
      };
    }
    if (!player) {
      status.hidden = false;
      status.textContent = 'this browser supports neither MSE nor HLS';
    }
  };
  // WebRTC first where the hub offers it (LAN), then MSE over WebSocket, then LL-HLS. A WHEP offer
  // to a camera that is still starting would only earn a 503, so WebRTC waits until it is live.
  if (camera.outputs.whep && !forcedProtocol) {
    const startWebRtc = () => import('./webrtc.js')
      .then((m) => m.attachWebRtc(camera.name, video, badge, { onFallback: startHttp }))
      .catch(startHttp);
    if (camera.state === 'live') startWebRtc();
    else untilLive(camera.name, 20000).then((live) => (live ? startWebRtc() : startHttp()));
  } else {
    startHttp();
  }
  return { state, lowered };
}

// The thermal badge: shown while the hub encodes this camera below its configured frame rate or size.
function showLowered(p, lowered) {
  p.lowered.hidden = !lowered;
  p.lowered.textContent = lowered ? `🌡 ${lowered.fps} fps ${lowered.width}×${lowered.height}` : '';
  p.lowered.title = lowered ? `lowered by the hub: ${lowered.why}` : '';
}

// Resolves true when the camera reports live (pushed state or a poll), false after timeoutMs.
function untilLive(name, timeoutMs) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (live) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      window.removeEventListener('beeper:camera', onEvent);
      resolve(live);
    };
    const onEvent = (e) => { if (e.detail && e.detail.name === name && e.detail.state === 'live') finish(true); };
    const check = async () => {
      try {
        const res = await fetch('api/cameras', { cache: 'no-store' });
        if (!res.ok) return;
        const cam = (await res.json()).find((c) => c.name === name);
        if (cam && cam.state === 'live') finish(true);
      } catch (_) { /* hub restarting: the next poll tries again */ }
    };
    window.addEventListener('beeper:camera', onEvent);
    const poll = setInterval(check, 500);
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

const players = new Map();

if (!document.querySelector('link[href="css/video.css"]')) {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = 'css/video.css';
  document.head.append(css);
}

async function refresh() {
  let cameras;
  try {
    const res = await fetch('api/cameras', { cache: 'no-store' });
    if (!res.ok) return;
    cameras = await res.json();
  } catch (_) {
    return; // hub restarting: try again on the next refresh
  }
  if (cameras.length === 0 && players.size === 0) note('No camera configured: add one under cameras: in beeper.yaml.');
  for (const camera of cameras) {
    camera.outputs = Object.fromEntries(Object.entries(camera.outputs || {}).map(([k, url]) => [k, hubRelative(url)]));
    if (!players.has(camera.name)) players.set(camera.name, build(camera));
    const p = players.get(camera.name);
    p.state.textContent = camera.state === 'live' ? '● live' : `${camera.state}: ${camera.reason}`;
    p.state.dataset.state = camera.state;
    showLowered(p, camera.lowered);
  }
}

refresh();
setInterval(refresh, 5000);
// Instant state changes from the hub's event stream (web/app.js re-dispatches SSE events).
window.addEventListener('beeper:camera', (e) => {
  const p = players.get(e.detail.name);
  if (!p) { refresh(); return; }
  p.state.textContent = e.detail.state === 'live' ? '● live' : `${e.detail.state}: ${e.detail.reason}`;
  p.state.dataset.state = e.detail.state;
  if ('lowered' in e.detail) showLowered(p, e.detail.lowered);
});
