// The three Workers `node tools/bench/wait-cost/run.mjs` compares (module names are their `variant`).
/** Answers at once. */
export const now = `export default { fetch() { return new Response('ok') } }`
/** Answers at once, then stays alive 3 ms: a waitUntil on a timer. */
export const after = `export default { fetch(request, env, ctx) { ctx.waitUntil(new Promise((r) => setTimeout(r, 3))); return new Response('ok') } }`
/** Waits 3 ms on a timer, then answers: a response that waits, as a page view waits for its exposure's acknowledgement. */
export const before = `export default { async fetch() { await new Promise((r) => setTimeout(r, 3)); return new Response('ok') } }`
