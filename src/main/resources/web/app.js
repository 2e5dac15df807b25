// The page's core: one EventSource on /api/events feeds the metric cards and is shared with the
// feature scripts (js/*.js), which listen for window events named "beeper:<event>". The light card's
// "lights on/off" is the hub's own lights_on metric (derived from lux with the hub's configured
// hysteresis), so the page and the history agree. Temperatures show in the visitor's unit (js/units.js).
import './js/starting.js';
import {
  displayTemperature, isCelsius, setTemperatureUnit, temperatureSymbol, temperatureUnit,
} from './js/units.js';

const STALE_AFTER_S = 120;
const TEMPERATURES = new Set(['temperature', 'cpu_temperature']);
// A value stamped further ahead of this browser's clock is never shown: it would stay "newest" and
// freeze its card. The hub refuses readings more than 60 s ahead of its own clock; the margin lets a
// browser whose clock lags the hub's by seconds still show live values.
const MAX_AHEAD_S = 60;
const latest = new Map(); // metric -> sample {value, unit, timestamp, text}

function formatNumber(sample) {
  const { metric, value } = sample;
  if (metric === 'lux' || metric === 'iaq') return value.toFixed(0);
  if (isCelsius(sample.unit) || (!sample.unit && TEMPERATURES.has(metric))) return displayTemperature(value).toFixed(1);
  return value.toFixed(1);
}

function formatAge(seconds) {
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

function render(metric) {
  const sample = latest.get(metric);
  if (!sample) return;
  for (const el of document.querySelectorAll(`[data-metric="${metric}"]`)) {
    const number = el.querySelector('.number');
    if (number) number.textContent = formatNumber(sample);
  }
  if (metric === 'iaq') {
    const label = document.querySelector('[data-label="iaq"]');
    if (label) label.textContent = sample.text || '';
  }
  if (metric === 'lights_on') {
    const label = document.querySelector('[data-label="lights"]');
    if (label) label.textContent = sample.value >= 0.5 ? 'lights on' : 'lights off';
  }
  refreshAge(metric);
}

// A simulated value (the demo) carries a "simulated" badge: it is never shown as if it were the coop's.
function markSimulated(el, simulated) {
  el.classList.toggle('simulated', simulated);
  let badge = el.querySelector('.sim-badge');
  if (!badge && simulated) {
    badge = document.createElement('span');
    badge.className = 'sim-badge';
    badge.textContent = 'simulated';
    badge.title = 'a simulated value, not a measurement (sensors.mode: simulated, or the demo)';
    (el.querySelector('.number')?.parentElement || el).append(' ', badge);
  }
  if (badge) badge.hidden = !simulated;
}

function refreshAge(metric) {
  const sample = latest.get(metric);
  if (!sample) return;
  const age = Math.max(0, Date.now() / 1000 - sample.timestamp);
  const stale = age > STALE_AFTER_S;
  for (const el of document.querySelectorAll(`[data-metric="${metric}"]`)) {
    el.classList.toggle('stale', stale);
    markSimulated(el, sample.simulated === true);
    const ageEl = el.querySelector('.age');
    if (ageEl) ageEl.textContent = stale ? formatAge(age) : '';
  }
}

function accept(sample) {
  if (!sample || typeof sample.metric !== 'string' || typeof sample.value !== 'number') return;
  if (sample.node && window.beeperNode && sample.node !== window.beeperNode) return;
  if (!(sample.timestamp <= Date.now() / 1000 + MAX_AHEAD_S)) return;
  const old = latest.get(sample.metric);
  if (old && old.timestamp > sample.timestamp) return;
  latest.set(sample.metric, sample);
  render(sample.metric);
}

function setConnection(state, text) {
  const el = document.getElementById('connection');
  el.dataset.state = state;
  el.textContent = text;
}

function connect() {
  const source = new EventSource('api/events');
  source.addEventListener('open', () => {
    setConnection('live', 'live');
    window.dispatchEvent(new CustomEvent('beeper:sse-open'));
  });
  source.addEventListener('error', () => {
    setConnection('lost', 'reconnecting…');
    window.dispatchEvent(new CustomEvent('beeper:sse-error'));
  });
  source.addEventListener('snapshot', (e) => {
    const all = JSON.parse(e.data);
    for (const [key, sample] of Object.entries(all)) {
      if (!key.includes('/')) {
        window.beeperNode = sample.node;
        accept(sample);
      }
    }
  });
  // any other named event is handed on to the feature scripts
  const forward = (name) => source.addEventListener(name, (e) => {
    let detail;
    try { detail = JSON.parse(e.data); } catch { return; }
    if (name === 'reading') accept(detail);
    window.dispatchEvent(new CustomEvent(`beeper:${name}`, { detail }));
  });
  for (const name of ['reading', 'presence', 'chat', 'camera', 'alert', 'motion']) forward(name);
  window.beeperEvents = source;
}

function showUnits() {
  for (const el of document.querySelectorAll('[data-unit="temperature"]')) el.textContent = temperatureSymbol();
  for (const metric of latest.keys()) render(metric);
}

const unitChoice = document.getElementById('temperature-unit');
if (unitChoice) {
  unitChoice.value = temperatureUnit();
  unitChoice.addEventListener('change', () => setTemperatureUnit(unitChoice.value));
}
window.addEventListener('beeper:units', showUnits);
showUnits();

setInterval(() => { for (const metric of latest.keys()) refreshAge(metric); }, 5000);
connect();
