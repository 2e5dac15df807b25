// The hub serves the page before its parts are up (on a Pi the broker, the WebRTC key and the cameras
// take seconds); until then its API answers 503 with the X-Beeper-Starting header. Imported first by
// app.js, this makes every script's fetch wait and ask again, so a page opened during start-up fills in
// as the hub comes up instead of showing an error.
const RETRY_MS = 250;
const GIVE_UP_MS = 120000;
const fetchOnce = window.fetch.bind(window);

window.fetch = async (input, init) => {
  const deadline = Date.now() + GIVE_UP_MS;
  for (;;) {
    const res = await fetchOnce(input, init);
    if (res.status !== 503 || !res.headers.get('X-Beeper-Starting') || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
};
