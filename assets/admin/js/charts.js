// The results charts, drawn with uPlot (assets/admin/vendor, copied from node_modules at install):
// cumulative rate or mean per variant by day with intervals, p-values over time, the difference from
// control over time with its fixed-horizon and always-valid intervals, and a forest plot of lifts.
// uPlot draws axes, grid and lines; the interval bands, whiskers and forest rows are drawn in its
// hooks with its own scales. Each chart is a figure with a caption, a legend and a text alternative.
import { h } from './dom.js'
import { absoluteLift, pct, signedPct } from './format.js'

const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C564B', '#333333']
const Z95 = 1.959963984540054
const DAY = 86400

/** Whether the charting library loaded (it is copied into assets/admin/vendor by `npm install`). */
export function chartsAvailable() {
  return typeof window.uPlot === 'function'
}

/** Draws the three time-series charts of one metric into `box`; returns a cleanup function. */
export function metricCharts(box, r, metricKey) {
  const m = r.metrics.find((x) => x.key === metricKey)
  const series = r.series[metricKey] ?? []
  if (!m || !series.length) {
    box.replaceChildren(h('p', { class: 'notice' }, 'No daily data yet: the charts appear once units have been exposed.'))
    return () => {}
  }
  const variants = m.variants.map((v) => v.variant)
  const treatments = variants.filter((v) => v !== r.control)
  const x = series.map((p) => Date.parse(`${p.day}T00:00:00Z`) / 1000)
  const color = (v) => COLORS[variants.indexOf(v) % COLORS.length]
  const rate = m.type === 'binomial'
  const charts = []

  // 1. Cumulative rate (or mean) per variant, with a 95% interval per day for rates.
  const values = variants.map((v) => series.map((p) => p.variants[v]?.value ?? null))
  const spans = variants.map((v) =>
    series.map((p) => {
      const s = p.variants[v]
      if (!rate || !s || s.value == null || s.n === 0) return null
      const half = Z95 * Math.sqrt((s.value * (1 - s.value)) / s.n)
      return [Math.max(0, s.value - half), Math.min(1, s.value + half)]
    }),
  )
  const fmtValue = rate ? (v) => pct(v, 1) : (v) => String(Number(v.toPrecision(3)))
  charts.push(
    figure(box, {
      id: 'chart-cumulative',
      caption: rate ? `Cumulative ${m.name} rate per variant by day (UTC), with 95% intervals` : `Cumulative mean of ${m.name} per variant by day (UTC)`,
      summary: `${rate ? 'Rate' : 'Mean'} per variant on the last day: ${variants.map((v, i) => `${v} ${values[i].at(-1) == null ? 'none' : fmtValue(values[i].at(-1))}`).join(', ')}.`,
      legend: variants.map((v) => ({ label: v === r.control && v !== 'control' ? `${v} (control)` : v, color: color(v) })),
      opts: {
        scales: { x: timeScale(), y: { range: (u, lo, hi) => padRange(extent([values.flat(), spans.flat(2)]), rate ? 0 : null) } },
        axes: [timeAxis(), { values: (u, ticks) => ticks.map(fmtValue), size: 60 }],
        series: [{}, ...variants.map((v) => line(v, color(v)))],
        hooks: { drawClear: [(u) => drawSpans(u, variants.map((v, i) => ({ color: color(v), spans: spans[i] })))] },
      },
      data: [x, ...values],
    }),
  )

  // 2. p-values over time per treatment: fixed-horizon (solid) and always-valid (dashed).
  const pSeries = treatments.flatMap((v) => [
    { v, label: `${v}: p-value`, dash: null, data: series.map((p) => p.comparisons[v]?.pValue ?? null) },
    { v, label: `${v}: sequential p-value`, dash: [6, 4], data: series.map((p) => p.comparisons[v]?.sequentialPValue ?? null) },
  ])
  charts.push(
    figure(box, {
      id: 'chart-pvalue',
      caption: `p-value over time against ${r.control}, with the significance level α = ${r.alpha}`,
      summary: `Last day: ${pSeries.map((s) => `${s.label} ${s.data.at(-1) == null ? 'none' : s.data.at(-1).toPrecision(2)}`).join(', ')}.`,
      legend: [...pSeries.map((s) => ({ label: s.label, color: color(s.v), dash: !!s.dash })), { label: `α = ${r.alpha}`, color: '#666', dash: true }],
      opts: {
        scales: { x: timeScale(), y: { range: [0, 1] } },
        axes: [timeAxis(), { size: 50 }],
        series: [{}, ...pSeries.map((s) => line(s.label, color(s.v), s.dash))],
        hooks: { draw: [(u) => drawLevel(u, 'y', r.alpha)] },
      },
      data: [x, ...pSeries.map((s) => s.data)],
    }),
  )

  // 3. Difference from control: the estimate (midpoint of the symmetric fixed-horizon interval),
  // its interval (darker) and the always-valid interval (lighter, wider).
  const diff = treatments.map((v) => ({
    v,
    ci: series.map((p) => p.comparisons[v]?.ci ?? null),
    seq: series.map((p) => p.comparisons[v]?.sequentialCi ?? null),
  }))
  const mids = diff.map((d) => d.ci.map((ci) => (ci ? (ci[0] + ci[1]) / 2 : null)))
  const fmtDiff = (v) => absoluteLift(m.type, v)
  charts.push(
    figure(box, {
      id: 'chart-difference',
      caption: `Difference from ${r.control} over time, with the ${pct(1 - r.alpha, 0)} confidence interval (dark) and the always-valid interval (light)`,
      summary: `Last day: ${diff.map((d, i) => `${d.v} ${mids[i].at(-1) == null ? 'none' : fmtDiff(mids[i].at(-1))}`).join(', ')}.`,
      legend: diff.map((d) => ({ label: `${d.v} − ${r.control}`, color: color(d.v) })),
      opts: {
        scales: { x: timeScale(), y: { range: () => padRange(extent([mids.flat(), diff.flatMap((d) => [...d.ci, ...d.seq]).flat()]), 0) } },
        axes: [timeAxis(), { values: (u, ticks) => ticks.map(fmtDiff), size: 70 }],
        series: [{}, ...diff.map((d) => line(d.v, color(d.v)))],
        hooks: {
          drawClear: [(u) => drawSpans(u, diff.flatMap((d) => [{ color: color(d.v), spans: d.seq, light: true }, { color: color(d.v), spans: d.ci }]))],
          draw: [(u) => drawLevel(u, 'y', 0)],
        },
      },
      data: [x, ...mids],
    }),
  )
  return () => charts.forEach((c) => c())
}

/** A forest plot of every treatment's relative lift, per metric, with its confidence interval; `caption` and `id` replace the defaults. */
export function forestPlot(box, r, caption, id = 'chart-forest') {
  const rows = r.metrics.flatMap((m) =>
    m.variants.filter((v) => v.comparison?.relative.ci).map((v) => ({ label: `${m.name} · ${v.variant}`, est: v.comparison.relative.estimate, ci: v.comparison.relative.ci, variant: v.variant })),
  )
  if (!rows.length) {
    box.replaceChildren(h('p', { class: 'notice' }, 'No lift to plot yet: every comparison needs conversions in the control.'))
    return () => {}
  }
  const variants = r.metrics[0].variants.map((v) => v.variant)
  const [lo, hi] = padRange(extent([rows.flatMap((row) => [...row.ci, row.est])]), 0)
  return figure(box, {
    id,
    caption: caption ?? `Relative lift against ${r.control} with ${pct(1 - r.alpha, 0)} confidence intervals (forest plot); the dashed line is no change`,
    summary: rows.map((row) => `${row.label}: ${signedPct(row.est)} [${signedPct(row.ci[0])}, ${signedPct(row.ci[1])}]`).join('; '),
    legend: [],
    height: 60 + rows.length * 56,
    opts: {
      scales: { x: { time: false, range: [lo, hi] }, y: { range: [-0.5, rows.length - 0.5] } },
      axes: [{ values: (u, ticks) => ticks.map((t) => signedPct(t, 0)) }, { show: false }],
      series: [{}, { label: 'lift', show: false }],
      hooks: { draw: [(u) => drawForest(u, rows, (v) => COLORS[Math.max(0, variants.indexOf(v)) % COLORS.length])] },
    },
    data: [
      [lo, hi],
      [null, null],
    ],
  })
}

/** Builds a figure (caption, plot, legend), draws the chart and keeps it as wide as the page. */
function figure(box, { id, caption, summary, legend, opts, data, height }) {
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': `${caption}. ${summary}` })
  const fig = h(
    'figure',
    { class: 'chart', id },
    h('figcaption', {}, caption),
    plot,
    legend.length ? h('ul', { class: 'legend' }, legend.map((l) => h('li', {}, h('span', { class: `swatch${l.dash ? ' dash' : ''}`, 'data-color': l.color }), l.label))) : null,
  )
  box.append(fig)
  for (const swatch of fig.querySelectorAll('.swatch')) swatch.style.setProperty('--swatch', swatch.dataset.color)
  const size = () => ({ width: Math.max(240, Math.floor(plot.clientWidth)), height: height ?? (plot.clientWidth < 500 ? 200 : 260) })
  const u = new window.uPlot({ ...size(), legend: { show: false }, cursor: { drag: { x: false, y: false } }, ...opts }, data, plot)
  const observer = new ResizeObserver(() => {
    const next = size()
    if (next.width !== u.width) u.setSize(next)
  })
  observer.observe(plot)
  return () => {
    observer.disconnect()
    u.destroy()
    fig.remove()
  }
}

/** A series line; dashed ones get hollow points, so a single day still tells them apart. */
function line(label, stroke, dash) {
  return { label, stroke, width: 2, dash: dash ?? undefined, spanGaps: true, points: { show: true, size: 7, fill: dash ? '#fff' : stroke } }
}

/** `label + tail`, with the label shortened (…) until it fits in `width` canvas pixels. */
function fit(ctx, label, tail, width) {
  let text = label
  while (text.length > 1 && ctx.measureText(text + tail).width > width) text = text.slice(0, -1)
  return text === label ? label + tail : `${text.slice(0, -1)}…${tail}`
}

/** Days in UTC with half a day either side, computed from the data: uPlot widens a single day to 1000. */
function timeScale() {
  return { time: true, range: (u) => [u.data[0][0] - DAY / 2, u.data[0][u.data[0].length - 1] + DAY / 2] }
}

function timeAxis() {
  return { values: (u, ticks) => ticks.map((t) => (Number.isInteger(t / DAY) ? new Date(t * 1000).toISOString().slice(5, 10) : '')) , splits: (u, i, min, max) => daySplits(min, max) }
}

/** Ticks on whole UTC days, at most ~8 of them. */
function daySplits(min, max) {
  const first = Math.ceil(min / DAY) * DAY
  const days = Math.floor((max - first) / DAY) + 1
  const step = Math.max(1, Math.ceil(days / 8)) * DAY
  const out = []
  for (let t = first; t <= max; t += step) out.push(t)
  return out
}

/** The smallest and largest finite number among the lists. */
function extent(lists) {
  let lo = Infinity
  let hi = -Infinity
  for (const list of lists) for (const v of list) if (typeof v === 'number' && Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v))
  return lo === Infinity ? [0, 1] : [lo, hi]
}

/** Pads a range by 10% (and includes `anchor`, e.g. zero, when given). */
function padRange([lo, hi], anchor) {
  if (anchor != null) (lo = Math.min(lo, anchor)), (hi = Math.max(hi, anchor))
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 0.01
  return [lo - pad, hi + pad]
}

/** Interval bands (when there are several days) and whiskers on each day, under the lines. */
function drawSpans(u, sets) {
  const { ctx, bbox } = u
  const px = devicePixelRatio || 1
  ctx.save()
  ctx.beginPath()
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height)
  ctx.clip()
  for (const set of sets) {
    const points = u.data[0].map((t, i) => {
      const s = set.spans[i]
      return s ? [u.valToPos(t, 'x', true), u.valToPos(s[0], 'y', true), u.valToPos(s[1], 'y', true)] : null
    })
    ctx.fillStyle = set.color + (set.light ? '1f' : '33')
    let run = []
    const flush = () => {
      if (run.length > 1) {
        ctx.beginPath()
        run.forEach(([x, , top], k) => (k ? ctx.lineTo(x, top) : ctx.moveTo(x, top)))
        for (let k = run.length - 1; k >= 0; k--) ctx.lineTo(run[k][0], run[k][1])
        ctx.closePath()
        ctx.fill()
      }
      run = []
    }
    for (const p of points) p ? run.push(p) : flush()
    flush()
    if (points.length <= 31) {
      ctx.strokeStyle = set.color + (set.light ? '66' : 'cc')
      ctx.lineWidth = (set.light ? 6 : 2) * px
      for (const p of points) {
        if (!p) continue
        ctx.beginPath()
        ctx.moveTo(p[0], p[1])
        ctx.lineTo(p[0], p[2])
        ctx.stroke()
      }
    }
  }
  ctx.restore()
}

/** A dashed reference line at `value` on scale `key` (α on p-values, zero on differences). */
function drawLevel(u, key, value) {
  const { ctx, bbox } = u
  const px = devicePixelRatio || 1
  ctx.save()
  ctx.strokeStyle = '#666'
  ctx.lineWidth = px
  ctx.setLineDash([4 * px, 4 * px])
  ctx.beginPath()
  if (key === 'y') {
    const y = u.valToPos(value, 'y', true)
    ctx.moveTo(bbox.left, y)
    ctx.lineTo(bbox.left + bbox.width, y)
  } else {
    const x = u.valToPos(value, 'x', true)
    ctx.moveTo(x, bbox.top)
    ctx.lineTo(x, bbox.top + bbox.height)
  }
  ctx.stroke()
  ctx.restore()
}

/** The forest rows: label, interval whisker with end caps, and the estimate as a dot. */
function drawForest(u, rows, colorOf) {
  drawLevel(u, 'x', 0)
  const { ctx, bbox } = u
  const px = devicePixelRatio || 1
  ctx.save()
  ctx.font = `${12 * px}px system-ui, sans-serif`
  ctx.textBaseline = 'bottom'
  ctx.textAlign = 'left'
  rows.forEach((row, i) => {
    const y = u.valToPos(rows.length - 1 - i, 'y', true)
    const [x0, x1, xe] = [u.valToPos(row.ci[0], 'x', true), u.valToPos(row.ci[1], 'x', true), u.valToPos(row.est ?? (row.ci[0] + row.ci[1]) / 2, 'x', true)]
    const color = colorOf(row.variant)
    ctx.fillStyle = '#222'
    ctx.fillText(fit(ctx, row.label, `: ${signedPct(row.est)} [${signedPct(row.ci[0])}, ${signedPct(row.ci[1])}]`, bbox.width - 8 * px), bbox.left + 4 * px, y - 9 * px)
    ctx.strokeStyle = color
    ctx.lineWidth = 2 * px
    ctx.beginPath()
    ctx.moveTo(x0, y)
    ctx.lineTo(x1, y)
    for (const x of [x0, x1]) ctx.moveTo(x, y - 5 * px), ctx.lineTo(x, y + 5 * px)
    ctx.stroke()
    ctx.fillStyle = color
    ctx.beginPath()
    ctx.arc(xe, y, 5 * px, 0, 2 * Math.PI)
    ctx.fill()
  })
  ctx.restore()
}
