// History section: charts of the environment over 24 h / 7 d / 30 d / 1 y from /api/history,
// drawn with uPlot (served from its WebJar under vendor/uplot/). The light chart shades the periods
// the lights were on (the stored lights_on metric). Temperatures show in the visitor's unit
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
  { metric: 'audio_level_db', title: 'Sound level', unit: 'dB', colour: '#c084fc' },
];
const LIGHTS_FILL = 'rgba(250, 204, 21, 0.13)';

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
      plugins: s.lights ? [lightsPlugin(this.state)] : [],
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
          + (this.spec.lights ? ' · shaded: lights on' : '');
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
