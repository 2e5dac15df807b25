// The alert panel and banner: active alerts first (severity, since when, value, an Acknowledge
// button), then the history of past alerts (paged, filterable by rule). Live through the page's
// shared SSE stream ("beeper:alert" window events from app.js); a banner slides in when a rule
// fires, with a short tone where the browser allows sound (after the visitor has touched the page).
import { el } from './dom.js';

const panel = document.getElementById('alerts');
const banner = document.createElement('div');
banner.id = 'alert-banner';
banner.className = 'alert-banner';
banner.hidden = true;
banner.setAttribute('role', 'alert');
document.body.prepend(banner);

let audio = null;
const unlock = () => {
  try { audio = audio || new AudioContext(); audio.resume(); } catch { audio = null; }
};
window.addEventListener('pointerdown', unlock, { once: true });
window.addEventListener('keydown', unlock, { once: true });

function tone(critical) {
  if (!audio || audio.state !== 'running') return;
  const o = audio.createOscillator();
  const g = audio.createGain();
  o.frequency.value = critical ? 880 : 660;
  g.gain.value = 0.08;
  o.connect(g).connect(audio.destination);
  o.start();
  o.stop(audio.currentTime + (critical ? 0.6 : 0.25));
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function value(a) {
  if (a.value === null || a.value === undefined) return '';
  return `${Math.round(a.value * 10) / 10}${a.unit || ''}`;
}

function showBanner(a) {
  banner.replaceChildren();
  banner.dataset.severity = a.severity;
  banner.append(el('strong', null, a.title), el('span', null, ` — ${a.detail || ''}`));
  if (a.simulated) banner.append(el('span', 'alert-sim', ' (simulated)'));
  const close = el('button', 'alert-close', '×');
  close.setAttribute('aria-label', 'Hide');
  close.addEventListener('click', () => { banner.hidden = true; });
  banner.append(close);
  banner.hidden = false;
}

async function acknowledge(id, button) {
  button.disabled = true;
  try {
    const r = await fetch(`api/alerts/${encodeURIComponent(id)}/ack`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    if (!r.ok) button.disabled = false;
  } catch { button.disabled = false; }
  refresh();
}

const active = el('ul', 'alert-list');
active.id = 'alerts-active';
const history = el('ul', 'alert-history');
history.id = 'alerts-history';
const filter = el('select');
filter.id = 'alerts-rule';
filter.append(new Option('all rules', ''));
const older = el('button', 'alert-older', 'Older');
let nextBefore = null;

if (panel) {
  const head = el('div', 'alert-head');
  head.append(el('h2', null, 'Alerts'));
  const hh = el('div', 'alert-head');
  hh.append(el('h3', null, 'History'), filter);
  panel.append(head, active, hh, history, older);
  filter.addEventListener('change', () => loadHistory(false));
  older.addEventListener('click', () => loadHistory(true));
}

function renderActive(list) {
  active.replaceChildren();
  if (list.length === 0) {
    active.append(el('li', 'alert-none', 'No active alerts.'));
    return;
  }
  for (const a of list) {
    const li = el('li', `alert alert-${a.severity}`);
    li.dataset.id = a.id;
    li.append(el('span', 'alert-sev', a.severity), el('strong', 'alert-title', a.title),
      el('span', 'alert-value', value(a)), el('span', 'alert-since', `since ${when(a.since)}`),
      el('div', 'alert-detail', a.detail + (a.simulated ? ' (simulated: not sent)' : '')));
    if (a.acknowledged) {
      li.append(el('span', 'alert-ack', `acknowledged by ${a.acknowledgedBy}`));
    } else {
      const b = el('button', 'alert-ack-button', 'Acknowledge');
      b.addEventListener('click', () => acknowledge(a.id, b));
      li.append(b);
    }
    active.append(li);
  }
}

async function loadHistory(more) {
  const rule = filter.value;
  const q = new URLSearchParams({ limit: '20' });
  if (rule) q.set('rule', rule);
  if (more && nextBefore) q.set('before', String(nextBefore));
  try {
    const r = await fetch('api/alerts/history?' + q, { cache: 'no-store' });
    if (!r.ok) return;
    const body = await r.json();
    if (!more) history.replaceChildren();
    for (const h of body.alerts) {
      const li = el('li', `alert-past alert-${h.severity}`);
      li.append(el('span', 'alert-sev', h.severity), el('strong', null, h.title),
        el('span', null, ` ${when(h.started)} – ${h.ended ? when(h.ended) : 'now'}`),
        el('span', 'alert-detail', h.detail || ''));
      if (h.acknowledgedBy) li.append(el('span', 'alert-ack', ` ack: ${h.acknowledgedBy}`));
      history.append(li);
    }
    if (!more && body.alerts.length === 0) history.append(el('li', 'alert-none', 'No past alerts.'));
    nextBefore = body.next;
    older.hidden = !nextBefore;
  } catch { /* the next event refreshes */ }
}

async function refresh() {
  try {
    const r = await fetch('api/alerts', { cache: 'no-store' });
    if (!r.ok) return;
    const body = await r.json();
    renderActive(body.active);
    if (filter.options.length === 1) {
      for (const rule of body.rules) filter.append(new Option(rule.title, rule.id));
    }
  } catch { /* offline: the next event refreshes */ }
  loadHistory(false);
}

window.addEventListener('beeper:alert', (e) => {
  const { type, alert } = e.detail;
  if (type === 'firing' || type === 'escalated') {
    showBanner(alert);
    tone(alert.severity === 'critical');
  } else if (type === 'resolved' && banner.dataset.id === alert.id) {
    banner.hidden = true;
  }
  banner.dataset.id = banner.hidden ? '' : alert.id;
  refresh();
});
window.addEventListener('beeper:sse-open', refresh);
refresh();
