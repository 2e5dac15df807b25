// The page lives at the hub's root, so it reaches the hub with relative URLs: that way it also works
// behind a reverse proxy that serves the hub under a sub-path (https://example.org/coop/). The hub's
// own answers name its resources from its root (/api/cameras/coop/ws, a WHEP Location): those are
// turned into page-relative URLs here.

/** A path the hub gave from its root ("/api/...") as a URL relative to the page; others unchanged. */
export function hubRelative(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path.slice(1) : path;
}
