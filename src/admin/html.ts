// hono/html would add ~0.7 KiB gzipped to a script with a 100 KiB budget; these pages interpolate
// few values, and each goes through `esc`.

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
