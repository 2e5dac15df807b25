// Small helpers the page's sections share for building their elements and labels by hand (the page
// has no framework: plain ES modules under a strict CSP).

/** An element with an optional class and text (text set as text, never as HTML). */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** A file size for people: "1.2 MB", "340 kB" (never "0 kB"). */
export function size(bytes) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
