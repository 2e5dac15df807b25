// LL-HLS player of one camera: hls.js (vendored, loaded only when needed) where MSE exists but the
// WebSocket does not get through (or ?protocol=hls), else the browser's own HLS (Safari, iPhones
// before iOS 17.1). Reloads when playback stalls for good (hub restart, camera outage) and shows the
// delay in the badge. What it sees is in window.beeperVideoStats[camera].hls for the glass-to-glass
// benchmark.
//
// It plays a small margin behind the newest part it holds, as the MSE player does: hls.js alone speeds
// up only with more than a second buffered (never the case this close to the edge) and never skips a
// backlog, so after one stall on a busy machine it stayed seconds behind for good. Here a late part
// widens the margin a little (a stall costs 0.1 s, won back after quiet spells), a backlog is played
// off at 1.1-1.25x, a big one is jumped over, and a hole before the newest buffered range is skipped
// at once. It never seeks past what is buffered: hls.js would have to fetch from the keyframe before
// that point, a freeze of up to a segment.

const MARGIN_MIN_S = 0.1;     // the least the picture keeps behind the newest part it holds
const MARGIN_MAX_S = 1;       // the most a run of stalls widens that margin to
const STALL_WIDENS_S = 0.1;   // a stall widens the margin by this...
const QUIET_NARROWS_MS = 10000; // ...and each quiet spell this long narrows it back by as much
const JUMP_IF_AHEAD_S = 1;    // more buffered than margin + this: jump instead of speeding up
const SETTLE_MS = 3000;       // stalls in the first seconds of playback (start-up) do not widen the margin

export class HlsPlayer {
  constructor(camera, video, badge) {
    this.name = camera.name;
    this.video = video;
    this.badge = badge;
    this.url = camera.outputs.hls;
    this.lastTime = -1;
    this.stuckTicks = 0;
    this.stalls = 0;
    this.holes = 0;
    this.margin = MARGIN_MIN_S;
    this.quietSince = performance.now();
    video.addEventListener('waiting', () => this.onWaiting());
    video.addEventListener('playing', () => { this.playingSince ||= performance.now(); });
    this.load();
    this.timer = setInterval(() => this.tick(), 500);
    this.steer = setInterval(() => this.keepNearEdge(), 100);
  }

  async load() {
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    this.playingSince = 0;
    if (window.MediaSource || window.ManagedMediaSource) {
      const { default: Hls } = await import('../vendor/hls/hls.light.min.mjs');
      if (Hls.isSupported()) {
        // The start and the catch-up are this player's (keepNearEdge); hls.js's own playback-rate
        // control is off (maxLiveSyncPlaybackRate 1) so the two do not fight over playbackRate.
        this.hls = new Hls({ lowLatencyMode: true, backBufferLength: 4, maxLiveSyncPlaybackRate: 1,
          liveSyncOnStallIncrease: 0.1 });
        this.hls.on(Hls.Events.ERROR, (_, d) => {
          if (d.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) this.stalls++;
        });
        this.video.beeperHls = this.hls; // what hls.js holds, for the page tests
        this.hls.loadSource(this.url);
        this.hls.attachMedia(this.video);
      }
    }
    if (!this.hls) this.video.src = this.url;
    this.video.play().catch(() => { this.video.muted = true; this.video.play().catch(() => {}); });
  }

  tick() {
    const v = this.video;
    if (this.hls && this.hls.latency) {
      this.badge.textContent = `LL-HLS · ${this.hls.latency.toFixed(1)} s`;
    } else if (v.seekable.length) {
      const end = v.seekable.end(v.seekable.length - 1);
      if (end - v.currentTime > 3) v.currentTime = end - 1;
      this.badge.textContent = `LL-HLS · ${(end - v.currentTime).toFixed(1)} s`;
    }
    this.publish();
    this.stuckTicks = v.currentTime === this.lastTime ? this.stuckTicks + 1 : 0;
    this.lastTime = v.currentTime;
    if (this.stuckTicks > 20) { // 10 s without progress
      this.stuckTicks = 0;
      this.load();
    }
  }

  onWaiting() {
    if (!this.hls || this.video.readyState === 0 || this.video.seeking) return;
    if (!this.playingSince || performance.now() - this.playingSince < SETTLE_MS) return;
    this.margin = Math.min(MARGIN_MAX_S, this.margin + STALL_WIDENS_S);
    this.quietSince = performance.now();
  }

  // Every 100 ms: keep the picture `margin` behind the newest part buffered.
  keepNearEdge() {
    const v = this.video;
    const hls = this.hls;
    if (!hls || v.paused || v.seeking || v.readyState < 2 || !v.buffered.length) return;
    const now = performance.now();
    if (now - this.quietSince > QUIET_NARROWS_MS) {
      this.margin = Math.max(MARGIN_MIN_S, this.margin - STALL_WIDENS_S);
      this.quietSince = now;
    }
    const last = v.buffered.length - 1;
    const end = v.buffered.end(last);
    const start = v.buffered.start(last);
    if (v.currentTime < start) {
      // A hole before the newest buffered range (a frame or a sound packet that came late): go on
      // from that range at once; hls.js would wait for its stall watchdog before skipping it.
      v.currentTime = Math.max(start, end - this.margin);
      this.holes++;
      return;
    }
    const ahead = end - v.currentTime;
    let rate = 1;
    if (ahead > this.margin + JUMP_IF_AHEAD_S) {
      v.currentTime = end - this.margin;
    } else if (ahead > this.margin + 0.25) {
      rate = 1.25;
    } else if (ahead > this.margin + 0.05) {
      rate = 1.1;
    }
    if (v.playbackRate !== rate) v.playbackRate = rate;
  }

  // What hls.js makes of the stream right now: its delay behind the live edge and its target, where
  // it would sync to, the buffer ahead of the picture, the playback rate and the stalls it counted.
  publish() {
    const v = this.video;
    const b = v.buffered;
    const ahead = b.length ? b.end(b.length - 1) - v.currentTime : 0;
    const all = (window.beeperVideoStats ||= {});
    const s = (all[this.name] ||= { samples: [] });
    s.protocol = 'LL-HLS';
    s.hls = {
      latency: this.hls ? this.hls.latency : null,
      target: this.hls ? this.hls.targetLatency : null,
      liveSync: this.hls ? this.hls.liveSyncPosition : null,
      currentTime: v.currentTime,
      ahead,
      rate: v.playbackRate,
      stalls: this.stalls,
      margin: this.margin,
      ranges: b.length,
      holes: this.holes,
    };
  }
}
