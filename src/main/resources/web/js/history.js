// History section: charts of the environment over 24 h / 7 d / 30 d / 1 y from /api/history,
// drawn with uPlot (served from its WebJar under vendor/uplot/). The light chart shades the periods
// the lights were on (the stored lights_on metric); every chart shades the periods an alert was firing
// (from /api/alerts/history, red for critical, orange otherwise; a band is at least 3 px wide so a short
// alert still shows), refreshed on each alert event. Temperatures show in the visitor's unit
// (js/units.js; the API answers in °C). Plain ES module, no inline code (strict CSP).
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { displayTemperature, temperatureSymbol } from './units.js';

const RANGES = [
  { id: '24h', label: '24 h', seconds: 86400, refresh: 60 },
  { id: '7d', label: '7 d', seconds: 7 * 86400, refresh: 300 },
  { id: '30d', label: '30 d', seconds: 30 * 86400, refresh: 600 },
  { id: '1y', label: '1 y', seconds: 365 * 86400, refresh: 3600 },
];
const CHARTS = [
  { metric: 'temperature', title: 'Temperature', unit: '°C', colour: '#f97316', temperature: true },
  { metric: 'humidity', title: 'Humidity', unit: '%', colour: '#38bdf8' },
  { metric: 'iaq', title: 'Air quality (IAQ)', unit: '', colour: '#a3e635' },
  { metric: 'lux', title: 'Light', unit: 'lx', colour: '#facc15', lights: true },
  { metric: 'audio_level_db', title: 'Sound level', unit: 'dBFS', colour: '#c084fc' },
];
const LIGHTS_FILL = 'rgba(250, 204, 21, 0.13)';
const ALERT_FILL = { critical: 'rgba(239, 68, 68, 0.30)', other: 'rgba(251, 146, 60, 0.26)' };
const ALERT_MIN_PX = 3;
// The periods alerts were firing, shared by every chart: [{ rule, title, severity, from, to }] in seconds.
const alertBands = { list: [] };

function addStylesheet(href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(href, import.meta.url).href;
  document.head.appendChild(link);
}

function el(tag, props = {}, children = []) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

// Shades the spans where lights_on was on (bucket mean >= 0.5) behind the series.
function lightsPlugin(state) {
  return {
    hooks: {
      drawClear: [(u) => {
        const l = state.lights;
        if (!l || l.t.length === 0) return;
        const { ctx } = u;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.fillStyle = LIGHTS_FILL;
        for (let i = 0; i < l.t.length; i++) {
          if (l.mean[i] < 0.5) continue;
          const x0 = u.valToPos(l.t[i], 'x', true);
          const x1 = u.valToPos(l.t[i] + l.stepSeconds, 'x', true);
          if (x1 > u.bbox.left && x0 < u.bbox.left + u.bbox.width) {
            ctx.fillRect(Math.max(x0, u.bbox.left), top, Math.min(x1, u.bbox.left + u.bbox.width) - Math.max(x0, u.bbox.left), height);
          }
        }
        ctx.restore();
      }],
    },
  };
}

// Shades the periods an alert was firing; the drawn bands (CSS pixels on the canvas) are listed in the
// chart's data-alert-bands, so a keeper's tools and the page tests can tell what is marked.
function alertsPlugin(box) {
  return {
    hooks: {
      drawClear: [(u) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const drawn = [];
        ctx.save();
        for (const a of alertBands.list) {
          let x0 = u.valToPos(a.from, 'x', true);
          let x1 = u.valToPos(a.to, 'x', true);
          if (x1 - x0 < ALERT_MIN_PX * devicePixelRatio) {
            const mid = (x0 + x1) / 2;
            x0 = mid - (ALERT_MIN_PX * devicePixelRatio) / 2;
            x1 = mid + (ALERT_MIN_PX * devicePixelRatio) / 2;
          }
          // a widened band at an edge (an alert firing now) is moved inside rather than cut in half
          const min = Math.min(ALERT_MIN_PX * devicePixelRatio, width);
          if (x1 > left + width && x0 > left + width - min) { x0 = left + width - min; x1 = left + width; }
          if (x0 < left && x1 < left + min) { x0 = left; x1 = left + min; }
          x0 = Math.max(x0, left);
          x1 = Math.min(x1, left + width);
          if (x1 <= x0) continue;
          ctx.fillStyle = a.severity === 'critical' ? ALERT_FILL.critical : ALERT_FILL.other;
          ctx.fillRect(x0, top, x1 - x0, height);
          drawn.push({ rule: a.rule, severity: a.severity, x0: x0 / devicePixelRatio, x1: x1 / devicePixelRatio,
            top: top / devicePixelRatio, bottom: (top + height) / devicePixelRatio });
        }
        ctx.restore();
        box.dataset.alertBands = JSON.stringify(drawn);
      }],
    },
  };
}

// The alerts that overlap [from, now]; one page of the history is plenty for a chart.
async function loadAlertBands(from) {
  try {
    const body = await getJson('api/alerts/history?limit=500');
    const now = Date.now() / 1000;
    alertBands.list = (body.alerts || []).map((a) => ({
      rule: a.rule, title: a.title, severity: a.severity,
      from: Date.parse(a.started) / 1000, to: a.ended ? Date.parse(a.ended) / 1000 : now,
    })).filter((a) => Number.isFinite(a.from) && a.to >= from);
  } catch (e) {
    alertBands.list = []; // alerts switched off or unreachable: nothing to mark
  }
}

class Chart {
  constructor(spec, grid) {
    this.spec = spec;
    this.state = { lights: null };
    this.plotBox = el('div', { className: 'history-plot' });
    this.note = el('div', { className: 'history-note' });
    this.heading = el('h3');
    this.box = el('div', { className: 'history-chart', id: `history-${spec.metric}` }, [this.heading, this.plotBox, this.note]);
    grid.append(this.box);
    this.plot = null;
    this.retitle();
  }

  retitle() {
    const unit = this.spec.temperature ? temperatureSymbol() : this.spec.unit;
    this.heading.textContent = this.spec.title + (unit ? ` (${unit})` : '');
  }

  /** The stored values (SI) as the visitor reads them. */
  shown(values) {
    return this.spec.temperature ? values.map(displayTemperature) : values;
  }

  width() {
    return Math.max(200, Math.floor(this.plotBox.clientWidth || 480));
  }

  make(data) {
    const s = this.spec;
    const axis = { stroke: '#94a3b8', grid: { stroke: 'rgba(148,163,184,0.15)' }, ticks: { stroke: 'rgba(148,163,184,0.3)' } };
    const opts = {
      width: this.width(),
      height: 220,
      plugins: s.lights ? [lightsPlugin(this.state), alertsPlugin(this.box)] : [alertsPlugin(this.box)],
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 55 }],
      series: [
        {},
        { label: 'min', stroke: 'transparent', points: { show: false } },
        { label: s.title, stroke: s.colour, width: 2, points: { show: false } },
        { label: 'max', stroke: 'transparent', points: { show: false } },
      ],
      bands: [{ series: [3, 1], fill: s.colour + '33' }],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
    };
    this.plot = new uPlot(opts, data, this.plotBox);
  }

  async load(range, node, available) {
    if (!available.has(this.spec.metric)) {
      // Ask only for what is stored: a 400 for an unknown metric would show as a console error.
      this.note.textContent = 'No readings yet.';
      if (!this.plot) this.make([[], [], [], []]);
      return;
    }
    const to = Math.floor(Date.now() / 1000);
    const from = to - range.seconds;
    const points = Math.min(2000, this.width());
    const q = (metric) => `api/history?metric=${encodeURIComponent(metric)}&from=${from}&to=${to}&points=${points}`
      + (node ? `&node=${encodeURIComponent(node)}` : '');
    try {
      const h = await getJson(q(this.spec.metric));
      if (this.spec.lights) {
        this.state.lights = available.has('lights_on') ? await getJson(q('lights_on')).catch(() => null) : null;
      }
      const data = [h.t, this.shown(h.min), this.shown(h.mean), this.shown(h.max)];
      if (this.plot) {
        this.plot.setData(data, false);
        this.plot.setScale('x', { min: from, max: to });
      } else {
        this.make(data);
        this.plot.setScale('x', { min: from, max: to });
      }
      this.note.textContent = h.count === 0 ? 'No readings in this period yet.'
        : `${h.count} points, ${h.resolution === 'raw' ? 'every reading' : h.resolution + ' rollups'}`
          + (this.spec.lights ? ' · shaded: lights on' : '')
          + (alertBands.list.length ? ' · red/orange: alerts' : '');
    } catch (e) {
      this.note.textContent = `No history: ${e.message}`;
      if (!this.plot) this.make([[], [], [], []]);
    }
  }

  resize() {
    if (this.plot) this.plot.setSize({ width: this.width(), height: 220 });
  }
}

function start() {
  const section = document.getElementById('history');
  if (!section) return;
  addStylesheet('../vendor/uplot/uPlot.min.css');
  addStylesheet('../css/history.css');

  const buttons = el('div', { className: 'history-ranges', role: 'group', ariaLabel: 'Period' });
  const grid = el('div', { className: 'history-grid' });
  // The page's section has its heading and a body to fill; a bare section gets a heading too.
  const body = section.querySelector('.history-body');
  if (body) {
    body.replaceChildren(el('div', { className: 'history-head' }, [buttons]), grid);
  } else {
    section.replaceChildren(el('div', { className: 'history-head' }, [el('h2', { textContent: 'History' }), buttons]), grid);
  }
  const charts = CHARTS.map((c) => new Chart(c, grid));

  let range = RANGES[0];
  let timer = null;
  let node = '';
  let soon = null;
  const refresh = async () => {
    let available = new Set();
    try {
      const m = await getJson('api/history/metrics');
      const nodes = [...new Set(m.metrics.map((x) => x.node))];
      if (!node && nodes.length > 1) {
        // With several nodes, chart the first node that has temperature (the coop itself).
        const t = m.metrics.find((x) => x.metric === 'temperature');
        node = t ? t.node : nodes[0];
      }
      available = new Set(m.metrics.filter((x) => !node || x.node === node).map((x) => x.metric));
    } catch (e) {
      // the store is unreachable: every chart says so below
    }
    await loadAlertBands(Math.floor(Date.now() / 1000) - range.seconds);
    await Promise.all(charts.map((c) => c.load(range, node, available)));
    if (charts.some((c) => !available.has(c.spec.metric))) {
      // A new hub: look again soon rather than at the next periodic refresh.
      clearTimeout(soon);
      soon = setTimeout(refresh, 10000);
    }
  };
  const select = (r) => {
    range = r;
    for (const b of buttons.children) b.setAttribute('aria-pressed', String(b.dataset.range === r.id));
    clearInterval(timer);
    timer = setInterval(() => { if (!document.hidden) refresh(); }, r.refresh * 1000);
    refresh();
  };
  for (const r of RANGES) {
    const b = el('button', { type: 'button', textContent: r.label });
    b.dataset.range = r.id;
    b.addEventListener('click', () => select(r));
    buttons.append(b);
  }
  select(range);
  // An alert fired, got worse or cleared: mark it at once rather than at the next periodic refresh.
  window.addEventListener('beeper:alert', async () => {
    await loadAlertBands(Math.floor(Date.now() / 1000) - range.seconds);
    charts.forEach((c) => { if (c.plot) c.plot.redraw(false, true); });
  });
  window.addEventListener('beeper:units', () => {
    charts.forEach((c) => c.retitle());
    refresh();
  });

  let pending = null;
  new ResizeObserver(() => {
    clearTimeout(pending);
    pending = setTimeout(() => charts.forEach((c) => c.resize()), 100);
  }).observe(grid);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
