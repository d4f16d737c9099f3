// The admin dashboard as an admin meets it: the Worker as `wrangler deploy` bundles it, in workerd
// with wrangler.toml's bindings (see startBundledWorker), an ADMIN_TOKEN, the seed-001 experiments
// and Workers Static Assets, driven by real headless Chromium. One story, in
// order: sign in, see the seeds, try an invalid form, create an experiment, start it, count events
// through the API, read the results and charts, edit weights, roll out, stop, sign out. Any console
// error or uncaught exception fails the test, except the one 400 the invalid form is meant to get.
import { copyFileSync, mkdirSync } from 'node:fs'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, type DevServer, newStateDir, removeState, startBundledWorker } from './dev-harness'

const TOKEN = 'browser-admin-token-0123456789abcdef'
const KEY = 'checkout_button'
const UNITS = 240
// The results view is written here on every run; UPDATE_SCREENSHOT=1 also refreshes the README's copy.
const SCREENSHOT = '.test-state/results-view.png'
const README_SCREENSHOT = 'docs/results-view.png'

const persist = newStateDir('admin')
let base = ''
let browser: Browser
let context: BrowserContext
let page: Page
let dev: DevServer
const problems: string[] = []
/** Console errors a step expects (a 4xx the browser logs), consumed as they arrive. */
const expected: RegExp[] = []

beforeAll(async () => {
  dev = await startBundledWorker({ persist, vars: { ADMIN_TOKEN: TOKEN } })
  base = dev.base
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const i = expected.findIndex((re) => re.test(m.text()))
    if (i >= 0) expected.splice(i, 1)
    else problems.push(`console error on ${page.url()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`uncaught exception on ${page.url()}: ${e.message}`))
  page.on('requestfailed', (r) => {
    // Leaving a page cancels its pending requests; only real failures count.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`)
  })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await dev?.stop()
  removeState(persist)
})

/** Calls the admin API from the test, as a script would. */
async function adminApi(path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Posts events, sending the same batch again on a 503 (the API's advice; event ids make it safe). */
async function postEvents(events: unknown[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) })
    if (res.status === 202) return
    if (res.status !== 503 || attempt === 5) throw new Error(`events: ${res.status} ${await res.text()}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Every visible form control on the page that has no label (should be none). */
async function unlabelled(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, select, textarea, button')]
      .filter((el) => el.offsetParent !== null || el.closest('dialog[open]'))
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels
        return !(labels && labels.length) && !el.getAttribute('aria-label') && !(el.tagName === 'BUTTON' && el.textContent!.trim())
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  )
}

/** Whether the page fits the viewport's width (no sideways scrolling). */
async function fitsWidth(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

/** How many pixels of a chart's canvas were drawn on. */
async function drawnPixels(selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${sel} canvas`)
    if (!canvas || !canvas.width || !canvas.height) return 0
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
    let n = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
    return n
  }, selector)
}

describe('the admin dashboard in real Chromium', { timeout: 30_000 }, () => {
  it('should serve its client code and uPlot from the Worker itself', async () => {
    for (const [path, type] of [
      ['/admin/js/main.js', /javascript/],
      ['/admin/admin.css', /text\/css/],
      ['/admin/vendor/uPlot.iife.min.js', /javascript/],
      ['/admin/vendor/uPlot.min.css', /text\/css/],
    ] as const) {
      const res = await fetch(`${base}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(type)
      await res.arrayBuffer()
    }
  })

  it('should ask for the token, sign in with the keyboard and list the two seed experiments', async () => {
    await page.goto(`${base}/admin`)
    const token = page.getByLabel('Admin token')
    await expect.poll(() => token.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await page.locator('#experiments').count()).toBe(0)
    await page.keyboard.type(TOKEN)
    await page.keyboard.press('Enter')
    const rows = page.locator('#experiments tbody tr')
    await rows.first().waitFor()
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')).sort())).toEqual(['moon_mars', 'white_gold_btn'])
    const moon = page.locator('#experiments tr[data-key="moon_mars"]')
    expect(await moon.textContent()).toMatch(/Moon\/Mars.*running.*Moon \(control\): 50%.*Mars: 50%.*100%/)
    expect(await page.locator('#session').textContent()).toContain('Signed in')
    expect(await unlabelled()).toEqual([])
  })

  it('should keep the token for the session: a reload needs no sign-in', async () => {
    await page.reload()
    await page.locator('#experiments').waitFor()
    expect(await page.locator('#signin').isHidden()).toBe(true)
  })

  it('should show the server\'s validation errors next to the fields of an invalid form', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click()
    await page.waitForURL(`${base}/admin/experiments/new`)
    await page.getByLabel('Key', { exact: true }).first().fill('bad key!')
    await page.getByLabel('Title').fill('Checkout button colour')
    await page.locator('[data-path="variants[1].weight"] input').fill('0')
    expect(await unlabelled()).toEqual([])
    expected.push(/status of 400/)
    await page.getByRole('button', { name: 'Create experiment' }).click()
    const keyError = page.locator('[data-path="key"] > .field-error')
    await expect.poll(() => keyError.textContent()).toMatch(/must be 1-64 characters/)
    expect(await page.locator('[data-path="variants[1].weight"] > .field-error').textContent()).toBe('weight must be greater than 0')
    expect(await page.locator('[data-path="variants[1].weight"] input').getAttribute('aria-invalid')).toBe('true')
    const summary = page.locator('.error-summary')
    expect(await summary.textContent()).toContain('2 problems to fix')
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(expected).toEqual([])
  })

  it('should create the experiment once the form is valid and open its page', async () => {
    await page.getByLabel('Key', { exact: true }).first().fill(KEY)
    await page.locator('[data-path="variants[1].weight"] input').fill('50')
    await page.getByRole('button', { name: 'Create experiment' }).click()
    await page.waitForURL(`${base}/admin/experiments/${KEY}`)
    await page.locator('#verdict').waitFor()
    expect(await page.locator('#verdict').textContent()).toMatch(/Not started yet/)
    expect(await page.locator('.meta .badge').textContent()).toBe('draft')
    const offered = await page.locator('[data-transition]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-transition')))
    expect(offered).toEqual(['running', 'stopped'])
  })

  it('should start it with the keyboard after a confirmation that says what happens to users and to the analysis', async () => {
    await page.getByRole('button', { name: 'Start' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.locator('dialog[open]')
    expect(await dialog.textContent()).toMatch(/For users:.*get a variant by hash.*For the analysis:.*epoch 1/)
    expect(await unlabelled()).toEqual([])
    await page.keyboard.press('Shift+Tab') // from Cancel to the confirming button
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#status').textContent()).toBe('Done: the experiment is now running.')
    expect(await page.locator('.meta .badge').textContent()).toBe('running')
    expect(await page.locator('#verdict').textContent()).toMatch(/no exposures yet/)
  })

  it('should show the results table, the SRM check and four charts once events come in through the API', async () => {
    const variants: Record<string, string> = {}
    for (let i = 0; i < UNITS; i++) {
      const unit = `admin-test-${i}`
      const body = await (await fetch(`${base}/v1/assign?unit=${unit}&experiments=${KEY}`)).json()
      variants[unit] = body.assignments[KEY].variant
    }
    await expect.poll(async () => (await adminApi(`/v1/experiments/${KEY}/results`)).srm.observed, { timeout: 20_000 }).toEqual({
      control: Object.values(variants).filter((v) => v === 'control').length,
      treatment: Object.values(variants).filter((v) => v === 'treatment').length,
    })
    // The treatment converts better: every 3rd control unit, every 2nd treatment unit.
    const events = Object.entries(variants)
      .filter(([, v], i) => i % (v === 'control' ? 3 : 2) === 0)
      .map(([unit]) => ({ id: `conv-${unit}`, unit, name: 'conversion' }))
    await postEvents(events)

    await page.reload()
    const table = page.locator('[data-metric="conversion"] table')
    await table.waitFor()
    const cells = async (variant: string) => table.locator(`tr[data-variant="${variant}"] td`).allTextContents()
    const control = Object.keys(variants).filter((u) => variants[u] === 'control').length
    const convertedControl = events.filter((e) => variants[e.unit] === 'control').length
    expect((await cells('control')).slice(0, 4)).toEqual([String(control), String(convertedControl), `${((convertedControl / control) * 100).toFixed(2)}%`, 'control'])
    const treatment = await cells('treatment')
    expect(treatment[3]).toMatch(/^\+\d+\.\d\d pp \[[−+]?\d+\.\d\d pp, \+\d+\.\d\d pp\]$/) // absolute lift with its interval
    expect(treatment[4]).toMatch(/^\+\d+\.\d% \[[−+]?\d+\.\d%, \+\d+\.\d%\]$/) // relative lift with its interval
    expect(treatment[5]).toMatch(/^(< )?0\.\d+/) // p-value
    expect(treatment[6]).toMatch(/^(< )?0\.\d+|^1\.00$/) // sequential p-value
    expect(treatment[7]).toMatch(/^\d+\.\d%$/) // chance to beat control
    expect(treatment[8]).toMatch(/^(better|not significant yet)$/)
    expect(await page.locator('#verdict').textContent()).toMatch(/Verdict: (keep running|significant)/)
    expect(await page.locator('#srm').textContent()).toMatch(/SRM ok.*no mismatch/)
    const country = page.locator('#segments-section [data-dimension="country"]')
    expect(await country.locator('[data-balance]').getAttribute('data-balance')).toBe('ok')
    expect(await country.locator('tbody tr').count()).toBeGreaterThan(0)
    for (const chart of ['#chart-cumulative', '#chart-pvalue', '#chart-difference', '#chart-forest']) {
      await page.locator(`${chart} canvas`).waitFor()
      expect(await drawnPixels(chart), chart).toBeGreaterThan(1000)
      expect(await page.locator(`${chart} .plot`).getAttribute('aria-label'), chart).toMatch(/\.\s\S/)
    }
    expect(await unlabelled()).toEqual([])
    expect(await fitsWidth()).toBe(true)

    // The results view for the README: the verdict, the tables and the charts.
    await page.setViewportSize({ width: 1100, height: 900 })
    await page.waitForTimeout(300) // charts follow the width
    expect(await fitsWidth()).toBe(true)
    const top = await page.locator('#results').boundingBox()
    const bottom = await page.locator('#chart-forest').boundingBox()
    mkdirSync('.test-state', { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: top!.y - 12, width: 1100, height: bottom!.y + bottom!.height - top!.y + 24 } })
    if (process.env.UPDATE_SCREENSHOT) copyFileSync(SCREENSHOT, README_SCREENSHOT)
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('should read well at 375 px and at 1440 px: the list and the results fit the width', async () => {
    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: 800 })
      await page.goto(`${base}/admin/experiments/${KEY}`)
      await page.locator('#chart-forest canvas').waitFor()
      expect(await fitsWidth(), `results at ${width} px`).toBe(true)
      expect(await drawnPixels('#chart-cumulative')).toBeGreaterThan(1000)
      await page.goto(`${base}/admin`)
      await page.locator('#experiments').waitFor()
      expect(await fitsWidth(), `list at ${width} px`).toBe(true)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('should warn, when the weights of a running experiment change, that existing units keep their variants', async () => {
    await page.goto(`${base}/admin/experiments/${KEY}/edit`)
    const weight = page.locator('[data-path="variants[1].weight"] input')
    await weight.waitFor()
    expect(await page.locator('#weights-warning').textContent()).toMatch(/units already assigned keep their variants/)
    expect(await page.locator('[data-path="variants[0].key"] input').getAttribute('readonly')).toBe('')
    await weight.fill('150')
    expect(await page.locator('#weights-changed').textContent()).toMatch(/You changed the weights: units already in the experiment keep their variants/)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(`${base}/admin/experiments/${KEY}`)
    await page.locator('.summary').waitFor()
    expect(await page.locator('.summary').textContent()).toContain('treatment: weight 150 (75%)')
    expect((await adminApi(`/v1/experiments/${KEY}`)).allocationVersion).toBe(2)
  })

  it('should close a confirmation with Escape and change nothing', async () => {
    const stop = page.getByRole('button', { name: 'Stop' })
    await stop.click()
    await page.locator('dialog[open]').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('dialog').count()).toBe(0)
    expect(await stop.evaluate((el) => el === document.activeElement)).toBe(true)
    expect((await adminApi(`/v1/experiments/${KEY}`)).state).toBe('running')
  })

  it('should roll out a chosen variant to everyone', async () => {
    await page.getByRole('button', { name: 'Roll out a variant' }).click()
    const dialog = page.locator('dialog[open]')
    await dialog.getByLabel('Variant to give everyone').selectOption('treatment')
    expect(await dialog.textContent()).toMatch(/Everyone gets treatment.*Nothing is recorded from now on/)
    await dialog.getByRole('button', { name: 'Roll out a variant' }).click()
    await expect.poll(() => page.locator('#status').textContent()).toBe('Done: the experiment is now rolled out.')
    expect(await page.locator('.meta .badge').textContent()).toBe('rollout: treatment')
    const assigned = await (await fetch(`${base}/v1/assign?unit=someone-new&experiments=${KEY}`)).json()
    expect(assigned.assignments[KEY]).toMatchObject({ variant: 'treatment', reason: 'rollout' })
  })

  it('should stop it for good: no more moves are offered, and the results stay readable', async () => {
    await page.getByRole('button', { name: 'Stop' }).click()
    const dialog = page.locator('dialog[open]')
    expect(await dialog.textContent()).toMatch(/fallback variant, control, for good.*can never run again/)
    await dialog.getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => page.locator('#status').textContent()).toBe('Done: the experiment is now stopped.')
    expect(await page.locator('[data-transition]').count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0)
    expect(await page.locator('[data-metric="conversion"] table').count()).toBe(1)
    expect(await page.getByText('Stopped: these results are final.').count()).toBe(1)
  })

  it('should calculate sample sizes with GET /v1/sample-size', async () => {
    await page.getByRole('link', { name: 'Sample size', exact: true }).click()
    await page.waitForURL(/\/admin\/sample-size/)
    await page.getByLabel('Baseline conversion rate').fill('0.1')
    await page.getByLabel('Minimum detectable effect').fill('0.2')
    await page.getByLabel(/absolute \(/).check()
    await page.getByLabel('Minimum detectable effect').fill('0.02')
    await page.getByRole('button', { name: 'Calculate' }).click()
    const expectedSize = await (await fetch(`${base}/v1/sample-size?baseline=0.1&mde=0.02&mdeType=absolute&alpha=0.05&power=0.8&variants=2`)).json()
    await expect.poll(() => page.locator('#sample-size-answer').textContent()).toContain(`${expectedSize.perVariant.toLocaleString('en-US')} units per variant`)
    expect(page.url()).toContain('mde=0.02&mdeType=absolute')
    expect(await unlabelled()).toEqual([])
  })

  it('should sign out and forget the token', async () => {
    await page.goto(`${base}/admin`)
    await page.locator('#experiments').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    expect(await page.getByLabel('Admin token').isVisible()).toBe(true)
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    await page.reload()
    expect(await page.getByLabel('Admin token').isVisible()).toBe(true)
  })

  it('should render /docs from /openapi.json with its script and style served as static assets', async () => {
    // The page names no icon, so Chromium asks for /favicon.ico (a request Playwright does not report),
    // which the Worker answers with a 404.
    expected.push(/status of 404/)
    await page.goto(`${base}/docs`)
    await expect.poll(() => page.locator('#ops section.op').count()).toBeGreaterThan(10)
    expect(await page.locator('#ops').textContent()).toContain('/v1/assign')
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).marginBottom)).toBe('3.2px') // .2rem, from api-docs.css
  })

  it('should have logged no console error and made no request to another origin', () => {
    expect(problems).toEqual([])
  })
})
