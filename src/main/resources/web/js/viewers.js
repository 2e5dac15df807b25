// "Who's viewing": sends heartbeats for this tab, says goodbye with the Beacon API, and shows the
// list the hub pushes over the page's SSE stream (window event beeper:presence). Text only: names
// are set with textContent, never as HTML. A page that is leaving (pagehide) sends no heartbeat
// after its goodbye: the visibilitychange that follows pagehide would otherwise put the visitor
// back as "away". A page restored from the back/forward cache comes back as a new tab.

const HEARTBEAT_MS = 30000;
const POLL_MS = 10000;

let tab = randomTabId();
let leaving = false;
const section = document.getElementById('viewers');
const list = ensureList(section);
let pollTimer = null;

function randomTabId() {
  // crypto.randomUUID needs a secure context; a LAN hub is often plain http.
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function ensureList(root) {
  let ul = root.querySelector('ul.viewer-list');
  if (!ul) {
    ul = document.createElement('ul');
    ul.className = 'viewer-list';
    root.appendChild(ul);
  }
  return ul;
}

function currentState() {
  return document.visibilityState === 'visible' ? 'viewing' : 'away';
}

async function heartbeat() {
  if (leaving) return;
  try {
    const r = await fetch('api/heartbeat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: currentState(), tab }),
    });
    // 410: the hub counts this tab as gone (it said goodbye); a page still open is a new visit
    if (r.status === 410 && !leaving) {
      tab = randomTabId();
      await heartbeat();
    }
  } catch (e) {
    // the hub is unreachable for a moment; the next heartbeat tries again
  }
}

function localTime(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function render(users) {
  const items = users.map((u) => {
    const li = document.createElement('li');
    li.className = 'viewer viewer-' + (u.state === 'viewing' ? 'viewing' : 'away');
    li.dataset.name = u.name;
    const name = document.createElement('span');
    name.className = 'viewer-name';
    name.textContent = u.name;
    const state = document.createElement('span');
    state.className = 'viewer-state';
    state.textContent = u.state;
    const since = document.createElement('span');
    since.className = 'viewer-since';
    since.textContent = 'since ' + localTime(u.since);
    li.append(name, ' ', state, ' ', since);
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'viewer-none';
    li.textContent = 'Nobody else is here.';
    items.push(li);
  }
  list.replaceChildren(...items);
}

async function load() {
  try {
    const r = await fetch('api/active_users', { cache: 'no-store' });
    if (r.ok) {
      render((await r.json()).users);
    }
  } catch (e) {
    // shown again on the next push or poll
  }
}

function startPolling() {
  if (pollTimer === null) {
    pollTimer = setInterval(load, POLL_MS);
  }
}

function stopPolling() {
  if (pollTimer !== null) {
    clearInterval(pollTimer);
    pollTimer = null;
  }
}

window.addEventListener('beeper:presence', (e) => render(e.detail.users));
window.addEventListener('beeper:sse-error', startPolling);
window.addEventListener('beeper:sse-open', () => {
  stopPolling();
  load();
});

document.addEventListener('visibilitychange', () => {
  if (!leaving) heartbeat();
});
window.addEventListener('pageshow', (e) => {
  if (e.persisted) {
    leaving = false;
    tab = randomTabId();
    heartbeat().then(load);
  }
});
window.addEventListener('pagehide', () => {
  leaving = true;
  navigator.sendBeacon('api/user_left', JSON.stringify({ tab }));
});
// Reloading the list after each heartbeat bounds how stale it can get if a push was missed
// (e.g. while the live stream was reconnecting).
setInterval(() => heartbeat().then(load), HEARTBEAT_MS);
heartbeat().then(load);
