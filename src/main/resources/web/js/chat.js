// Chat: loads the last 50 messages, appends new ones pushed over the page's SSE stream (window event
// beeper:chat), sends on Enter. Messages are text only (textContent), shown in the browser's local
// time, and the log follows new messages unless the reader has scrolled up. Polling is only the
// fallback for when the live stream is down.

const POLL_MS = 3000;

const section = document.getElementById('chat');
const { log, form, input, status } = build(section);
let lastId = 0;
const seen = new Set();
let pollTimer = null;

function build(section) {
  const root = section.querySelector('.chat-body') || section;
  const log = document.createElement('ol');
  log.className = 'chat-log';
  log.setAttribute('aria-live', 'polite');
  const form = document.createElement('form');
  form.className = 'chat-form';
  // a label screen readers announce; the placeholder alone is no name
  const label = document.createElement('label');
  label.htmlFor = 'chat-input';
  label.className = 'visually-hidden';
  label.textContent = 'Chat message';
  const input = document.createElement('input');
  input.id = 'chat-input';
  input.type = 'text';
  input.name = 'message';
  input.className = 'chat-input';
  input.maxLength = 500;
  input.placeholder = 'Say something (Enter sends)';
  input.autocomplete = 'off';
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Send';
  form.append(label, input, button);
  const status = document.createElement('p');
  status.className = 'chat-status';
  status.setAttribute('role', 'status');
  root.append(log, form, status);
  return { log, form, input, status };
}

function localTime(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function nearBottom() {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
}

function append(messages) {
  const follow = nearBottom();
  for (const m of messages) {
    // The sender sees its own message from the POST answer and again from the push: show it once.
    if (seen.has(m.id)) {
      continue;
    }
    seen.add(m.id);
    lastId = Math.max(lastId, m.id);
    const li = document.createElement('li');
    li.className = 'chat-message';
    li.dataset.id = String(m.id);
    const time = document.createElement('time');
    time.dateTime = new Date(m.timestamp * 1000).toISOString();
    time.textContent = localTime(m.timestamp);
    const user = document.createElement('span');
    user.className = 'chat-user';
    user.textContent = m.username;
    const text = document.createElement('span');
    text.className = 'chat-text';
    text.textContent = m.message;
    li.append(time, ' ', user, ': ', text);
    log.appendChild(li);
  }
  while (log.children.length > 200) {
    seen.delete(Number(log.firstElementChild.dataset.id));
    log.removeChild(log.firstElementChild);
  }
  if (follow) {
    log.scrollTop = log.scrollHeight;
  }
}

async function catchUp() {
  try {
    const r = await fetch('api/chat/messages' + (lastId > 0 ? '?since=' + lastId : ''), { cache: 'no-store' });
    if (r.ok) {
      append((await r.json()).messages);
    }
  } catch (e) {
    // tried again on the next poll or reconnect
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const message = input.value.trim();
  if (message === '') {
    return;
  }
  status.textContent = '';
  try {
    const r = await fetch('api/chat/send', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message }),
    });
    if (r.ok) {
      input.value = '';
      append([await r.json()]);
    } else {
      const body = await r.json().catch(() => ({}));
      status.textContent = r.status === 429
        ? 'Too many messages: wait ' + (r.headers.get('Retry-After') || 'a few') + ' s.'
        : (body.error || 'Not sent (' + r.status + ').');
    }
  } catch (err) {
    status.textContent = 'Not sent: the hub is unreachable.';
  }
});

window.addEventListener('beeper:chat', (e) => append([e.detail]));
window.addEventListener('beeper:sse-error', () => {
  if (pollTimer === null) {
    pollTimer = setInterval(catchUp, POLL_MS);
  }
});
window.addEventListener('beeper:sse-open', () => {
  if (pollTimer !== null) {
    clearInterval(pollTimer);
    pollTimer = null;
  }
  catchUp();
});

catchUp();
