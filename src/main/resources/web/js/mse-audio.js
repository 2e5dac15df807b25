// The sound of an MSE camera, played beside its picture instead of in the same SourceBuffer. Chromium
// plays a SourceBuffer only where every track of it is buffered, so with sound in it each picture waits
// until the sound's buffer covers it, and every time the sound runs dry the whole player stalls
// (`waiting`) and rebuffers: the camera with a microphone was seconds late. Here the hub sends the
// picture's init segment alone (audio=separate) and the page decodes the sound's packets itself
// (WebCodecs AudioDecoder, Opus or AAC) into Web Audio, each packet scheduled for the moment the
// picture of the same time is shown (learnt from requestVideoFrameCallback), never earlier than the
// audio output can play it; the player holds the picture back when the sound cannot keep up with it. A late packet costs a short gap in the sound, never a frozen picture.
// Browsers without WebCodecs audio keep the single SourceBuffer (js/mse-player.js).

// Each packet is heard at its media time plus one playout lead: the later of where its picture is
// shown and the earliest the sound can be heard (NEED_PERCENTILE of how late the recent packets came
// out of the decoder, plus the audio output's own latency), so sound and picture keep one distance
// and no queue builds up. The picture is held back by the player (js/mse-player.js, lagMs) when the
// sound needs more than its picture, so both stay well inside the ±80 ms lip-sync budget.
const LATE_S = 0.005;        // a packet starts at least this far ahead of the audio clock
const MARGIN_MS = 5;         // added to the earliest the recent packets could be heard
const NEED_PERCENTILE = 0.95;
const NEED_KEPT = 150;       // recent packets (3 s of 20 ms packets) the earliest is taken from
const FORGET_MS = 150;       // a packet this much earlier than the kept ones: they were a burst (the hub's
                             // backlog from the keyframe a viewer starts at, a pause of the page), forgotten
const RAISE_MS = 3;          // the lead moves later when it must by more than this (a gap of silence)
const LOWER_MS = 25;         // and earlier when it could by more than this (packets left out)
const GLUE_S = 0.006;        // a packet this close to where the sound scheduled so far ends follows it seamlessly
const JITTER_S = 0.04;       // before the audio output tells its timing: this far ahead of the audio clock
const SAMPLES_KEPT = 500;

function fromBase64(s) {
  const bin = atob(s || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function decoderConfig(info) {
  const config = { codec: info.codec, sampleRate: info.sampleRate, numberOfChannels: info.channels };
  const description = fromBase64(info.config);
  if (description.length) config.description = description; // OpusHead or AudioSpecificConfig
  return config;
}

export class SeparateAudio {
  // True when this browser can decode the camera's sound itself (WebCodecs audio and Web Audio).
  static async supported(info) {
    if (!window.AudioDecoder || !(window.AudioContext || window.webkitAudioContext) || !window.EncodedAudioChunk) return false;
    try {
      return !!(await AudioDecoder.isConfigSupported(decoderConfig(info))).supported;
    } catch (_) {
      return false;
    }
  }

  constructor(info, onError) {
    this.info = info;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    this.ctx = new Ctx({ latencyHint: 'interactive' });
    this.gain = this.ctx.createGain();
    this.gain.connect(this.ctx.destination);
    this.output = this.gain;       // what is heard (a test may listen to it)
    this.muted = true;             // as the page's videos: sound on is the viewer's choice
    this.gain.gain.value = 0;
    this.next = null;              // audio clock time where the sound scheduled so far ends
    this.lead = null;              // heard time minus media time of the sound scheduled (ms)
    this.earliest = [];            // recent (earliest it could be heard - media time) per packet, ms
    this.videoOffsets = [];        // recent (display time - media time) of shown pictures, ms
    this.offsets = [];             // sound minus picture for the same media time, ms (scheduled)
    this.resyncs = 0;
    this.late = 0;
    this.decoded = 0;
    this.decoder = new AudioDecoder({
      output: (data) => this.play(data),
      error: (e) => { this.closed = true; onError?.(e); },
    });
    this.decoder.configure(decoderConfig(info));
  }

  setMuted(muted) {
    this.muted = muted;
    this.gain.gain.value = muted ? 0 : 1;
    if (!muted && this.ctx.state === 'suspended') this.ctx.resume().catch(() => {});
  }

  // A picture was shown: its media time (s) and the page time it was shown (ms, performance clock).
  videoShown(mediaTime, shownPerfMs) {
    this.videoOffsets.push(shownPerfMs - mediaTime * 1000);
    if (this.videoOffsets.length > 15) this.videoOffsets.shift();
  }

  // One packet of the track: its decode time on the track's clock and its bytes.
  push(time, data) {
    if (this.closed || this.decoder.state !== 'configured') return;
    if (this.ctx.state !== 'running') {
      this.next = null; // nothing plays yet (the browser waits for a click): do not queue sound up
      return;
    }
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: Math.round(time / this.info.timescale * 1e6), data }));
  }

  videoOffsetMs() {
    if (this.videoOffsets.length === 0) return null;
    const s = [...this.videoOffsets].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }

  // How much later than its media time the sound can at best be heard (ms), or null before any packet.
  needMs() {
    if (this.earliest.length === 0) return null;
    const s = [...this.earliest].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(s.length * NEED_PERCENTILE))] + MARGIN_MS;
  }

  // How much later than its picture the sound can at best be heard (ms; the player holds the picture
  // back by about this much), or null while either is unknown.
  lagMs() {
    const need = this.needMs();
    const video = this.videoOffsetMs();
    return need === null || video === null ? null : need - video;
  }

  play(data) {
    const frames = data.numberOfFrames;
    const media = data.timestamp / 1e6;
    if (this.closed || frames === 0) { data.close(); return; }
    const buf = this.ctx.createBuffer(data.numberOfChannels, frames, data.sampleRate);
    for (let c = 0; c < data.numberOfChannels; c++) {
      data.copyTo(buf.getChannelData(c), { planeIndex: c, format: 'f32-planar' });
    }
    data.close();
    this.decoded++;
    this.schedule(buf, media);
  }

  // Starts a decoded packet at its media time plus the playout lead, or right after the sound
  // already scheduled when it is within GLUE_S of it; one that would play over it is left out.
  schedule(buf, media) {
    const now = this.ctx.currentTime;
    const out = this.ctx.getOutputTimestamp ? this.ctx.getOutputTimestamp() : null;
    if (!out || !out.performanceTime) { // the output has not told its timing yet: play on as it comes
      this.playAt(buf, Math.max(this.next ?? 0, now + JITTER_S), null);
      return;
    }
    const heardAt = (ctxTime) => out.performanceTime + (ctxTime - out.contextTime) * 1000;
    const m = media * 1000;
    const earliest = heardAt(now + LATE_S) - m;
    const kept = this.needMs();
    if (kept !== null && earliest < kept - FORGET_MS) this.earliest = [];
    this.earliest.push(earliest);
    if (this.earliest.length > NEED_KEPT) this.earliest.shift();
    const video = this.videoOffsetMs();
    const target = Math.max(this.needMs(), video ?? -Infinity);
    if (this.lead === null || target > this.lead + RAISE_MS || target < this.lead - LOWER_MS) {
      if (this.lead !== null) this.resyncs++;
      this.lead = target;
    }
    let start = out.contextTime + (m + this.lead - out.performanceTime) / 1000;
    if (start < now + LATE_S) {
      this.late++; // later than the lead allows: a short gap in the sound
      start = now + LATE_S;
    }
    if (this.next !== null) {
      const gap = start - this.next;
      if (gap < -buf.duration / 2) return; // over sound already scheduled (the lead moved earlier): left out
      if (gap < GLUE_S && this.next >= now + LATE_S) start = this.next;
    }
    this.playAt(buf, start, video === null ? null : heardAt(start) - (m + video));
  }

  playAt(buf, at, offsetMs) {
    const src = this.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(this.gain);
    src.start(at);
    this.next = at + buf.duration;
    if (offsetMs !== null) {
      this.offsets.push(offsetMs);
      if (this.offsets.length > SAMPLES_KEPT) this.offsets.shift();
    }
  }

  // Sound minus picture (ms, median of the recent packets; positive: the sound comes later).
  avOffsetMs() {
    if (this.offsets.length === 0) return null;
    const s = [...this.offsets].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }

  stats() {
    return { decoded: this.decoded, late: this.late, resyncs: this.resyncs, avOffsetMs: this.avOffsetMs(),
      needMs: this.needMs(), lagMs: this.lagMs(),
      state: this.ctx.state, muted: this.muted, outputLatencyMs: Math.round((this.ctx.outputLatency || 0) * 1000),
      baseLatencyMs: Math.round((this.ctx.baseLatency || 0) * 1000) };
  }

  close() {
    this.closed = true;
    try { if (this.decoder.state !== 'closed') this.decoder.close(); } catch (_) { /* already closed */ }
    this.ctx.close().catch(() => {});
  }
}

// A camera's messages split by track: the picture's boxes (init segment, video moof+mdat) as they are
// for the SourceBuffer, and the sound's packets (track `audioTrack`: its decode time and payload).
export function splitTracks(buffer, audioTrack) {
  const bytes = new Uint8Array(buffer);
  const dv = new DataView(buffer);
  const video = [];
  const audio = [];
  let off = 0;
  let pending = null; // the moof before its mdat: [start, track, decode time]
  while (off + 8 <= bytes.length) {
    const size = dv.getUint32(off);
    const type = dv.getUint32(off + 4);
    if (size < 8 || off + size > bytes.length) break; // not a box: leave the rest to the SourceBuffer
    if (type === 0x6d6f6f66) { // moof
      pending = [off, ...moofTrack(dv, off + 8, off + size)];
    } else if (type === 0x6d646174 && pending) { // mdat
      if (pending[1] === audioTrack) audio.push({ time: pending[2], data: bytes.subarray(off + 8, off + size) });
      else video.push(bytes.subarray(pending[0], off + size));
      pending = null;
    } else {
      video.push(bytes.subarray(off, off + size));
    }
    off += size;
  }
  if (off < bytes.length) video.push(bytes.subarray(off));
  return { video, audio };
}

// Track id (tfhd) and decode time (tfdt) of a moof's first traf.
function moofTrack(dv, from, to) {
  let track = 0;
  let time = 0;
  for (let o = from; o + 8 <= to;) {
    const size = dv.getUint32(o);
    if (size < 8) break;
    if (dv.getUint32(o + 4) === 0x74726166) { // traf
      for (let i = o + 8; i + 8 <= o + size;) {
        const s = dv.getUint32(i);
        const t = dv.getUint32(i + 4);
        if (s < 8) break;
        if (t === 0x74666864) track = dv.getUint32(i + 12); // tfhd
        if (t === 0x74666474) time = dv.getUint8(i + 8) === 1 ? Number(dv.getBigUint64(i + 12)) : dv.getUint32(i + 12); // tfdt
        i += s;
      }
      return [track, time];
    }
    o += size;
  }
  return [track, time];
}
