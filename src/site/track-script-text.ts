// The tracking script's text: the Worker serves it from assets/_edgesplit/texts.json (`track.js`,
// written from this module by `npm run assets`), so the script's text is not in the Worker bundle.

/**
 * Where the script sends events: the native ingestion endpoint (written out in the script: an
 * interpolated template would keep the unused text in the Worker bundle, since esbuild cannot prove it pure).
 */
export const EVENTS_PATH = '/v1/events'

/**
 * The tracking script the middleware adds to every personalised page. It reads the unit from
 * `window.edgesplit` (injected before it), sends `pageview` on load and an event for every click
 * on an element with `data-edgesplit-event` (optional numeric `data-edgesplit-value`), and offers
 * `edgesplit.track(name, value?)`. Every event carries a random UUID, so a beacon the browser
 * retries is counted once (the server never deduplicates events without an id): crypto.randomUUID,
 * or on plain-http pages, where it is missing, one built from crypto.getRandomValues (Math.random
 * only without Web Crypto). The server attributes events to the variant it assigned, never to one
 * the page claims. Events go with
 * `sendBeacon` (it survives navigation), or a keepalive fetch where beacons are unavailable; the
 * body is sent as text/plain so no CORS preflight is ever needed.
 */
export const TRACK_SCRIPT = `(function(){var w=window,d=document,n=navigator,e=w.edgesplit||(w.edgesplit={});if(e.track)return;
function id(){try{return crypto.randomUUID()}catch(x){}var b=new Uint8Array(16),h="",i;
try{crypto.getRandomValues(b)}catch(x){for(i=0;i<16;i++)b[i]=Math.random()*256}b[6]=b[6]&15|64;b[8]=b[8]&63|128;
for(i=0;i<16;i++)h+=(b[i]+256).toString(16).slice(1)+(i==3||i==5||i==7||i==9?"-":"");return h}
function track(name,value){if(!e.unit||!name)return;var ev={id:id(),unit:e.unit,name:String(name).slice(0,64)};
if(typeof value==="number"&&isFinite(value))ev.value=value;var body=JSON.stringify({events:[ev]});
try{if(n.sendBeacon&&n.sendBeacon("/v1/events",body))return}catch(x){}
try{fetch("/v1/events",{method:"POST",body:body,keepalive:true,credentials:"same-origin",headers:{"content-type":"text/plain"}})}catch(x){}}
e.track=track;
function pageview(){track("pageview")}
if(d.readyState==="complete")pageview();else w.addEventListener("load",pageview);
d.addEventListener("click",function(x){var t=x.target,el=t&&t.closest?t.closest("[data-edgesplit-event]"):null;if(!el)return;
var v=parseFloat(el.getAttribute("data-edgesplit-value"));track(el.getAttribute("data-edgesplit-event"),isNaN(v)?undefined:v)},true);
})();
`

/** A short content hash (FNV-1a), so the script's URL changes whenever the script does. */
export function trackScriptVersion(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}
