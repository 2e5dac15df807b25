// MSE player of one camera: the hub's fMP4 over a WebSocket (ManagedMediaSource on iPhones) into a
// SourceBuffer, kept at the newest frame (without sound, or with the sound beside the picture, decoded by
// js/mse-audio.js) or just behind the buffered end (sound in the SourceBuffer). Reconnects with backoff,
// gives up to LL-HLS (onGiveUp) when the WebSocket never gets through, and shows the delay in the badge.
// What it measures is in window.beeperVideoStats[camera] for the glass-to-glass benchmark.
import { SeparateAudio, splitTracks } from './mse-audio.js';

// ?sound=mse: the sound in the picture's SourceBuffer even where the page could play it beside (comparisons).
const forcedSound = new URLSearchParams(window.location.search).get('sound');

const LIVE_TARGET_S = 0.05;   // with sound: how far behind the end of the buffer we aim to play
const JUMP_IF_BEHIND_S = 0.8; // further behind than this: jump instead of speeding up
// Without sound the hub declares each video frame to last its "hold" (init message), so the player
// plays at the newest frame: each frame shows the moment it is decoded, as WebRTC shows it, and a
// late frame only keeps the previous one on screen longer (no stall).
const AHEAD_MAX_S = 0.3;      // ahead of the newest frame by more than this: slow down (keeps the hold's margin)
// Chromium's renderer locks onto a cadence when the frames' times are regular (15 fps on a 60 Hz display: each
// frame four refreshes; two at the 30 Hz of headless Chromium) and then reports the buffer empty (`waiting`, the
// clock stops) as soon as a frame has had its refreshes and the next is not decoded yet, whatever span the frame
// is declared to have. When the frame durations vary enough it treats the stream as variable-rate, and a frame
// stays up until its declared span ends: a late frame only keeps the previous picture up longer. So the player
// shifts each message's frames alternately DITHER_S earlier and later (the SourceBuffer's timestampOffset) and
// plays at least LEAD_MIN_S past the newest frame, where every frame, early or late, is shown the moment it is
// decoded. Held back for the sound, frames are shown at their times, where shifts put them up unevenly: smaller
// shifts then (without any, the stalls leave the picture well behind its sound).
const DITHER_S = 0.03;        // durations vary by ±60 ms (measured: with ±30 ms headless Chromium still stalled)
const DITHER_SHARE = 0.45;    // at most this share of a frame interval, so that the frames keep their order
const HELD_DITHER_S = 0.015;  // held back for the sound, frames are shown at their times: smaller shifts, less unevenly
const LEAD_MIN_S = DITHER_S + 0.006; // past the newest frame by less than this: speed up
// With the sound beside the picture, the sound needs longer than the picture from the camera to the
// viewer (its decoder, the audio output's latency, slack for packets that come late): the picture is
// held back behind the newest frame until the sound trails it by SYNC_TRAIL_MS at most, while the
// viewer has the sound on (muted, the picture stays at the newest frame).
const SYNC_TRAIL_MS = 15;     // sound this much after its picture is left as it is
const SYNC_GAIN = 0.15;       // share of the remaining difference the hold-back takes each tick
const HOLD_BACK_MAX_S = 0.3;
const KEEP_BEHIND_S = 6;      // buffer kept behind the play position (trimmed beyond)

export const MS = window.ManagedMediaSource || window.MediaSource;

function wsUrl(path, params) {
  const u = new URL(path, window.location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export class MsePlayer {
  constructor(camera, video, badge, status) {
    this.camera = camera;
    this.video = video;
    this.badge = badge;
    this.status = status;
    this.audio = true;
    // The sound beside the picture where the browser can decode it itself (js/mse-audio.js); else both in one SourceBuffer.
    this.apart = !!window.AudioDecoder && forcedSound !== 'mse';
    this.backoff = 1000;
    this.times = [];          // [video time s as played, hub receive epoch ms, video time s as sent], recent frames
    this.shift = 0;           // s the SourceBuffer's timestampOffset for the next message (shiftFor)
    this.holdBack = 0;        // s the picture plays behind the newest frame for the sound beside it
    this.delayMs = null;
    this.stopped = false;
    this.failures = 0;
    this.everInit = false;
    this.timer = setInterval(() => this.tick(), 250);
    video.requestVideoFrameCallback?.((now, meta) => this.onVideoFrame(now, meta));
    video.beeperPlayerTimes = () => this.times; // [video time, hub receive time] of the frames sent (tests)
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    this.teardown();
    this.queue = [];
    this.lastMessage = performance.now();
    const audio = !this.audio ? 0 : this.apart ? 'separate' : 1;
    const ws = new WebSocket(wsUrl(this.camera.outputs.mse, { stats: 1, audio }));
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => this.onMessage(e);
    ws.onclose = () => this.scheduleReconnect();
    ws.onerror = () => {};
    this.ws = ws;
  }

  scheduleReconnect() {
    if (this.stopped || this.reconnectTimer) return;
    if (!this.everInit && ++this.failures >= 3 && this.camera.outputs.hls && this.onGiveUp) {
      this.stopped = true; // WebSocket does not get through (a proxy?): let LL-HLS take over
      this.teardown();
      this.onGiveUp();
      return;
    }
    this.setStatus('reconnecting…');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, 5000);
  }

  teardown() {
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.onmessage = null;
      try { this.ws.close(); } catch (_) { /* already closed */ }
      this.ws = null;
    }
    this.sb = null;
    this.ms = null;
    this.closeSound();
  }

  closeSound() {
    this.sound?.close();
    this.sound = null;
    this.video.beeperSound = null;
  }

  onMessage(e) {
    this.lastMessage = performance.now();
    if (typeof e.data === 'string') {
      const msg = JSON.parse(e.data);
      if (msg.type === 'init') this.onInit(msg);
      else if (msg.type === 't') {
        const shift = this.shiftFor(msg.f);
        for (const [t, r] of msg.f) this.times.push([t + shift, r, t]);
        this.newestAt = performance.now();
        if (this.times.length > 200) this.times.splice(0, this.times.length - 200);
      }
      return;
    }
    if (this.apartAudio) {
      const { video, audio } = splitTracks(e.data, this.apartAudio.track);
      for (const a of audio) this.sound?.push(a.time, a.data);
      for (const v of video) this.queue.push({ data: v, shift: this.shift });
    } else {
      this.queue.push({ data: new Uint8Array(e.data), shift: this.shift });
    }
    if (this.queue.length > 300) this.queue.splice(1, this.queue.length - 1); // never grow without bound
    this.appendNext();
  }

  // The timestampOffset of the message whose frames' times these are (s): the other sign than the previous
  // message's, unless that would put its first frame before the previous message's last (then the same).
  shiftFor(frames) {
    if (!this.dither || frames.length === 0) return this.shift;
    const size = this.holdBack > 0 ? Math.min(this.dither, HELD_DITHER_S) : this.dither;
    let shift = this.shift > 0 ? -size : size;
    if (this.lastTime !== null && frames[0][0] + shift < this.lastTime + 0.002) shift = this.shift;
    this.shift = shift;
    this.lastTime = frames[frames.length - 1][0] + shift;
    return shift;
  }

  onInit(msg) {
    if (!MS.isTypeSupported(msg.mime)) {
      if (msg.audio && this.audio) {
        this.audio = false; // e.g. Opus on Apple: play the picture without sound
        this.connect();
        return;
      }
      this.setStatus(`this browser cannot play ${msg.mime}`);
      this.stopped = true;
      this.teardown();
      return;
    }
    this.backoff = 1000;
    this.everInit = true;
    this.queue = [];
    this.times = [];
    this.mime = msg.mime;
    this.hasAudio = !!msg.audio && !msg.audio.apart; // sound in the SourceBuffer
    this.apartAudio = msg.audio && msg.audio.apart ? { ...msg.audio, track: 2 } : null;
    this.hold = msg.hold || 0;
    // Shifts only with the picture alone in the SourceBuffer (a sound track would get holes).
    const fps = msg.video && msg.video.fps > 0 ? msg.video.fps : 15;
    this.dither = this.hold > 0 && !this.hasAudio ? Math.min(DITHER_S, DITHER_SHARE / fps) : 0;
    this.shift = 0;
    this.lastTime = null;
    this.video.dataset.audio = msg.audio ? 'yes' : 'no';
    this.video.dataset.sound = this.apartAudio ? 'separate' : this.hasAudio ? 'mse' : 'none';
    this.closeSound();
    if (this.apartAudio) this.startSound(this.apartAudio);
    this.video.dataset.mime = msg.mime;
    // New tracks (another picture size after a thermal step, a camera back with other settings): the
    // old SourceBuffer goes with the old MediaSource, and a fresh pair takes the new init segment.
    // Until the new one opens, nothing touches the old (it is removed from its MediaSource and throws).
    this.dropSourceBuffer();
    const ms = new MS();
    this.ms = ms;
    if (window.ManagedMediaSource && MS === window.ManagedMediaSource) this.video.disableRemotePlayback = true;
    this.video.src = URL.createObjectURL(ms);
    ms.addEventListener('sourceopen', () => {
      if (this.ms !== ms) return;
      URL.revokeObjectURL(this.video.src);
      const sb = ms.addSourceBuffer(msg.mime);
      sb.mode = 'segments';
      sb.addEventListener('updateend', () => { if (this.sb === sb) this.appendNext(); });
      this.sb = sb;
      this.appendNext();
    }, { once: true });
    this.setStatus('');
  }

  // The camera's sound decoded by the page; a browser that cannot decode it gets both tracks in the SourceBuffer again.
  startSound(info) {
    const ws = this.ws;
    SeparateAudio.supported(info).then((ok) => {
      if (this.ws !== ws || this.apartAudio !== info) return;
      if (!ok) {
        this.apart = false;
        this.connect();
        return;
      }
      this.sound = new SeparateAudio(info, () => { this.apart = false; this.connect(); });
      this.sound.setMuted(this.soundMuted ?? true);
      this.video.beeperSound = this.sound; // the page test listens to what is heard
      this.showSoundButton();
    });
  }

  // The picture has no sound track of its own, so the video's controls show no mute button: the box gets one.
  showSoundButton() {
    let b = this.video.parentElement?.querySelector('.video-sound');
    if (!b) {
      b = document.createElement('button');
      b.type = 'button';
      b.className = 'video-sound';
      b.addEventListener('click', () => {
        this.soundMuted = !(this.soundMuted ?? true);
        this.sound?.setMuted(this.soundMuted);
        this.labelSoundButton(b);
      });
      this.video.parentElement?.append(b);
    }
    this.labelSoundButton(b);
  }

  labelSoundButton(b) {
    const muted = this.soundMuted ?? true;
    b.textContent = muted ? '🔇' : '🔊';
    b.title = muted ? 'Sound on' : 'Sound off';
    b.setAttribute('aria-label', `${b.title} (camera ${this.camera.name})`);
    b.setAttribute('aria-pressed', String(!muted));
  }

  dropSourceBuffer() {
    const old = this.sb;
    this.sb = null;
    if (old && this.ms && this.ms.readyState === 'open' && !old.updating) {
      try { this.ms.removeSourceBuffer(old); } catch (_) { /* already gone with its MediaSource */ }
    }
  }

  appendNext() {
    const sb = this.sb;
    if (!sb || sb.updating || this.queue.length === 0 || this.ms.readyState !== 'open') return;
    const t = this.video.currentTime;
    if (sb.buffered.length && t - sb.buffered.start(0) > KEEP_BEHIND_S * 2) {
      sb.remove(0, t - KEEP_BEHIND_S);
      return;
    }
    // Append everything queued with the same shift in one go: fewer updateend round trips under load.
    const shift = this.queue[0].shift;
    let n = 1;
    while (n < this.queue.length && this.queue[n].shift === shift) n++;
    const parts = this.queue.splice(0, n);
    const total = parts.reduce((sum, p) => sum + p.data.byteLength, 0);
    const data = new Uint8Array(total);
    let off = 0;
    for (const p of parts) { data.set(p.data, off); off += p.data.byteLength; }
    try {
      if (sb.timestampOffset !== shift) sb.timestampOffset = shift;
      sb.appendBuffer(data);
    } catch (err) {
      this.setStatus(`player error: ${err.name}`);
      this.connect(); // start over from a keyframe
    }
  }

  tick() {
    const v = this.video;
    if (this.ws && performance.now() - this.lastMessage > 5000) {
      this.setStatus('no data: reconnecting…');
      this.connect();
      return;
    }
    if (!this.sb || this.sb.buffered.length === 0) return;
    const b = this.sb.buffered;
    const start = b.start(b.length - 1);
    const end = b.end(b.length - 1);
    if (this.hold > 0 && !this.hasAudio) {
      // Play at the newest frame (its time from the hub's timing message, else the buffer's end less the hold).
      const newest = this.times.length ? this.times[this.times.length - 1][2] : end - this.hold;
      const lead = v.currentTime - newest;
      const back = this.soundHoldBack();
      if (lead < -JUMP_IF_BEHIND_S || lead > this.hold - 0.2 || v.currentTime < b.start(0)) {
        v.currentTime = Math.max(start, newest - back);
      } else if (back > 0) {
        // Held back for the sound: at `back` behind the live edge (the newest frame's time moved on by the
        // time since it came), closing the difference gently.
        const since = Math.min(0.1, (performance.now() - (this.newestAt ?? performance.now())) / 1000);
        const error = lead - since + back;
        v.playbackRate = Math.abs(error) < 0.005 ? 1.0 : 1 - Math.max(-0.1, Math.min(0.1, error * 2));
      } else {
        v.playbackRate = lead < LEAD_MIN_S ? 1.1 : lead > AHEAD_MAX_S ? 0.9 : 1.0;
      }
    } else {
      // With sound the audio has no hold: stay a little behind the end of what is buffered.
      const behind = end - v.currentTime;
      if (behind > JUMP_IF_BEHIND_S || v.currentTime < b.start(0)) {
        v.currentTime = Math.max(start, end - LIVE_TARGET_S);
      } else {
        v.playbackRate = behind > LIVE_TARGET_S + 0.1 ? 1.1 : 1.0;
      }
    }
    if (v.paused && v.readyState >= 2) v.play().catch(() => { v.muted = true; v.play().catch(() => {}); });
    if (this.sound) {
      const all = (window.beeperVideoStats ||= {});
      (all[this.camera.name] ||= { samples: [] }).sound = { ...this.sound.stats(), holdBackMs: Math.round(this.holdBack * 1000) };
    }
    this.updateBadge();
  }

  // How far behind the newest frame the picture plays so that the sound beside it keeps up (s).
  soundHoldBack() {
    const lag = this.sound?.lagMs();
    if (lag === null || lag === undefined || this.sound.muted || this.sound.ctx.state !== 'running') {
      this.holdBack = 0;
    } else {
      this.holdBack = Math.max(0, Math.min(HOLD_BACK_MAX_S, this.holdBack + SYNC_GAIN * (lag - SYNC_TRAIL_MS) / 1000));
    }
    return this.holdBack;
  }

  onVideoFrame(now, meta) {
    // Delay = when the picture is shown minus when the hub received the frame from the camera.
    const f = this.frameAt(meta.mediaTime);
    if (f !== null) {
      const shown = performance.timeOrigin + (meta.expectedDisplayTime || now);
      this.delayMs = shown - f[1];
      recordDelay(this.camera.name, 'MSE', this.delayMs);
    }
    // The sound keeps to the times as sent (without the player's shift).
    this.sound?.videoShown(f === null ? meta.mediaTime : f[2], meta.expectedDisplayTime || now);
    this.video.requestVideoFrameCallback((n, m) => this.onVideoFrame(n, m));
  }

  // The recent frame [time as played, hub receive ms, time as sent] shown at this media time, or null.
  frameAt(mediaTime) {
    for (let i = this.times.length - 1; i >= 0; i--) {
      if (Math.abs(this.times[i][0] - mediaTime) < 0.002) return this.times[i];
    }
    return null;
  }

  updateBadge() {
    const d = this.delayMs === null ? '…' : `${Math.max(0, Math.round(this.delayMs))} ms`;
    this.badge.textContent = `MSE · ${d}`;
  }

  setStatus(text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  }
}

const SAMPLES_KEPT = 5000;

// Delay samples for the page's badge and for the benchmark (window.beeperVideoStats).
function recordDelay(name, protocol, delayMs) {
  const all = (window.beeperVideoStats ||= {});
  const s = (all[name] ||= { samples: [] });
  s.delayMs = delayMs;
  s.protocol = protocol;
  s.samples.push(delayMs);
  if (s.samples.length > SAMPLES_KEPT) s.samples.splice(0, s.samples.length - SAMPLES_KEPT);
}
