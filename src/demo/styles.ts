/** The demo page's stylesheet: seed 001's banners drawn with CSS gradients (no external images). */
export const DEMO_CSS = `*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.banner{min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center;padding:2rem;color:#fff}
.banner.moon{background:radial-gradient(circle at 72% 28%,#f4f4f0 0 9%,#d9d9d2 9.5% 10%,transparent 10.5%),radial-gradient(circle at 69% 25%,#c9c9c1 0 1.2%,transparent 1.5%),radial-gradient(circle at 75% 31%,#c9c9c1 0 0.8%,transparent 1%),radial-gradient(ellipse at 50% 120%,#6b6b6b 0 35%,transparent 36%),linear-gradient(#05060f,#1b2035 70%,#3a3f52)}
.banner.mars{background:radial-gradient(circle at 28% 26%,#ffb37a 0 6%,transparent 6.5%),radial-gradient(ellipse at 50% 125%,#a8431c 0 38%,transparent 39%),linear-gradient(#2a0d07,#7a2a12 60%,#c2542a)}
h1{font-size:clamp(2.2rem,6vw,4.5rem);margin:0;text-shadow:0 2px 12px rgba(0,0,0,.6)}
.vspacer{height:1.2rem}
p{max-width:36rem;font-size:1.2rem;line-height:1.5;margin:0 0 2rem;text-shadow:0 1px 6px rgba(0,0,0,.7)}
button{font-size:1.1rem;padding:.9rem 2.2rem;border-radius:999px;border:0;cursor:pointer;font-weight:600;box-shadow:0 4px 18px rgba(0,0,0,.35)}
button.white{background:#fff;color:#14161f}
button.gold{background:linear-gradient(#f9e08b,#d4a72c);color:#2b1d00}
button:active{transform:translateY(1px)}
footer{position:fixed;bottom:0;left:0;right:0;padding:.6rem;font-size:.8rem;text-align:center;background:rgba(0,0,0,.45);color:#ddd}
footer a{color:#fff;margin:0 .5rem}
.notice{position:fixed;top:0;left:0;right:0;margin:0;max-width:none;padding:.6rem;font-size:1rem;text-align:center;background:#ffd84d;color:#2b1d00;text-shadow:none}
`
