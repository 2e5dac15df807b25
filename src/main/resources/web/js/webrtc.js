// WebRTC (WHEP) player for one camera: asks the hub for a session with an SDP offer, plays the
// answer's tracks in a <video>, and gives up (so the caller can fall back to MSE) when ICE does not
// connect in time. Used by video.js; any WHEP client works against the same endpoint. Every URL is
// relative to the page (js/paths.js), so WebRTC also starts behind a sub-path reverse proxy.
import { hubRelative } from './paths.js';

/** Whether WebRTC is worth trying for this page load (the hub says whether the request came through a proxy). */
export async function webrtcAvailable() {
  if (typeof RTCPeerConnection === 'undefined') return false;
  try {
    const res = await fetch('api/webrtc', { cache: 'no-store' });
    if (!res.ok) return false;
    const info = await res.json();
    return info.enabled && info.direct;
  } catch {
    return false;
  }
}

function waitConnected(pc, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`ICE did not connect within ${timeoutMs} ms`)); }, timeoutMs);
    const check = () => {
      if (pc.connectionState === 'connected') { cleanup(); resolve(); }
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') { cleanup(); reject(new Error(`WebRTC ${pc.connectionState}`)); }
    };
    const cleanup = () => { clearTimeout(timer); pc.removeEventListener('connectionstatechange', check); };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}

/**
 * Plays `camera` over WHEP into `video`. Resolves once connected with a handle
 * { pc, close(), delayMs(), hasAudio() }; rejects (having cleaned up) on any failure.
 */
export async function playWhep(video, camera, { timeoutMs = 8000 } = {}) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  const stream = new MediaStream();
  let sessionUrl = null;
  const close = () => {
    pc.close();
    // A srcObject outranks src: left in place, the dead stream would hide the MSE player that takes over.
    if (video.srcObject === stream) video.srcObject = null;
    if (sessionUrl) {
      fetch(sessionUrl, { method: 'DELETE', keepalive: true }).catch(() => {});
      sessionUrl = null;
    }
    window.removeEventListener('pagehide', close);
  };
  try {
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (e) => {
      stream.addTrack(e.track);
      if (video.srcObject !== stream) video.srcObject = stream;
    });
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(`api/cameras/${encodeURIComponent(camera)}/whep`, {
      method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp,
    });
    if (res.status !== 201) {
      const body = await res.json().catch(() => ({}));
      throw new Error(`WHEP ${res.status}: ${body.error || 'refused'}`);
    }
    sessionUrl = new URL(hubRelative(res.headers.get('Location')), window.location.href).href;
    window.addEventListener('pagehide', close);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    await waitConnected(pc, timeoutMs);
    video.play().catch(() => {}); // autoplay may want a gesture for audio; video still shows
  } catch (err) {
    close();
    throw err;
  }
  return {
    pc,
    close,
    hasAudio: () => pc.getReceivers().some((r) => r.track && r.track.kind === 'audio' && r.track.readyState === 'live'
      && pc.getTransceivers().some((t) => t.receiver === r && t.currentDirection === 'recvonly')),
    /** Estimated delay from the hub to the screen: network (RTT/2) + jitter buffer + decoding. */
    async delayMs() {
      let rtt = 0; let buffer = 0; let decode = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.currentRoundTripTime !== undefined) rtt = s.currentRoundTripTime;
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          if (s.jitterBufferEmittedCount) buffer = s.jitterBufferDelay / s.jitterBufferEmittedCount;
          if (s.framesDecoded) decode = s.totalDecodeTime / s.framesDecoded;
        }
      });
      return Math.round((rtt / 2 + buffer + decode) * 1000);
    },
  };
}

/**
 * What video.js calls for one camera box: tries WebRTC when the hub says it is reachable directly,
 * keeps `badge` showing "WebRTC · <delay> ms", and calls `onFallback(reason)` (start MSE there) when
 * WebRTC is not possible, does not connect within `timeoutMs` (8 s: ICE and the DTLS handshake on a
 * busy Pi take seconds), or drops later. Returns a stop function.
 */
export function attachWebRtc(camera, video, badge, { onFallback, timeoutMs = 8000 } = {}) {
  let handle = null;
  let timer = null;
  let stopped = false;
  const fallback = (reason) => {
    if (stopped) return;
    stop();
    if (onFallback) onFallback(reason);
  };
  const stop = () => {
    stopped = true;
    if (timer) clearInterval(timer);
    if (handle) handle.close();
    handle = null;
  };
  (async () => {
    if (!(await webrtcAvailable())) { fallback('WebRTC not reachable from here'); return; }
    try {
      handle = await playWhep(video, camera, { timeoutMs });
    } catch (err) {
      fallback(err.message);
      return;
    }
    if (stopped) { handle.close(); return; }
    video.dataset.protocol = 'webrtc';
    video.dataset.audio = handle.hasAudio() ? 'yes' : 'no';
    const update = async () => {
      if (!handle) return;
      if (handle.pc.connectionState === 'failed' || handle.pc.connectionState === 'closed') {
        fallback(`WebRTC ${handle.pc.connectionState}`);
        return;
      }
      if (badge) badge.textContent = `WebRTC · ${await handle.delayMs()} ms`;
    };
    await update();
    timer = setInterval(update, 1000);
  })();
  return stop;
}
