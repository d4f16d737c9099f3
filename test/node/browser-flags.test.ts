// The flags dashboard as an admin meets it, against the deployable bundle in workerd (startBundledWorker) in headless Chromium:
// the list, the kill switch with its confirmation, the demo page changing on its next load, the
// editor's validation errors next to their fields, and the history of versions.
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, type DevServer, newStateDir, removeState, startBundledWorker } from './dev-harness'

const TOKEN = 'browser-flags-token-0123456789abcdef'
const persist = newStateDir('flags')
let dev: DevServer
let browser: Browser
let admin: Page
const problems: string[] = []
const expected: RegExp[] = []

beforeAll(async () => {
  dev = await startBundledWorker({ persist, vars: { ADMIN_TOKEN: TOKEN } })
  const res = await fetch(`${dev.base}/v1/flags/demo-banner`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'boolean', default: false, description: 'the demo banner', rules: [{ id: 'everyone', serve: { value: true } }] }),
  })
  if (res.status !== 201) throw new Error(`creating the flag: ${res.status} ${await res.text()}`)
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  admin = await (await browser.newContext()).newPage()
  admin.on('console', (m) => {
    if (m.type() !== 'error') return
    const i = expected.findIndex((re) => re.test(m.text()))
    if (i >= 0) expected.splice(i, 1)
    else problems.push(`console error on ${admin.url()}: ${m.text()}`)
  })
  admin.on('pageerror', (e) => problems.push(`uncaught exception on ${admin.url()}: ${e.message}`))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await dev?.stop()
  removeState(persist)
})

/** What the demo page shows a fresh visitor (its own browser context): its flags, and whether the flag's notice is on screen. */
async function demoPage(): Promise<{ flags: Record<string, unknown>; notice: boolean }> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`${dev.base}/`)
    const flags = await page.evaluate(() => (window as unknown as { edgesplit: { flags: Record<string, unknown> } }).edgesplit.flags)
    return { flags, notice: await page.locator('#demo-notice').isVisible() }
  } finally {
    await context.close()
  }
}

describe('flags dashboard', () => {
  it('should list the flag, turn it off after a confirmation, and the demo page should change on its next load', async () => {
    const before = await demoPage()
    expect(before.flags['demo-banner']).toBe(true)
    expect(before.notice).toBe(true)
    await admin.goto(`${dev.base}/admin/flags`)
    await admin.getByLabel('Admin token').fill(TOKEN)
    await admin.keyboard.press('Enter')
    const row = admin.locator('#flags tr[data-key="demo-banner"]')
    await row.waitFor()
    expect(await row.textContent()).toMatch(/demo-banner.*boolean.*on.*everyone: serves true.*v1/)
    // Dismissing the confirmation changes nothing; accepting it turns the flag off.
    admin.once('dialog', (d) => void d.dismiss())
    await row.getByRole('button', { name: 'Turn off' }).click()
    expect(await row.getByRole('button', { name: 'Turn off' }).count()).toBe(1)
    let question = ''
    admin.once('dialog', (d) => ((question = d.message()), void d.accept()))
    await row.getByRole('button', { name: 'Turn off' }).click()
    await admin.locator('#flags tr[data-key="demo-banner"] button[data-action="enable"]').waitFor()
    expect(question).toContain('Turn "demo-banner" off?')
    expect(await admin.locator('#flags tr[data-key="demo-banner"]').textContent()).toMatch(/off.*v2/)
    const after = await demoPage()
    expect(after.flags['demo-banner']).toBe(false)
    expect(after.notice).toBe(false)
  }, 60_000)

  it('should show validation errors next to their fields and the history of versions', async () => {
    await admin.goto(`${dev.base}/admin/flags/demo-banner`)
    const history = admin.locator('#history tbody tr')
    await history.first().waitFor()
    expect(await history.allTextContents()).toEqual([expect.stringMatching(/^v2.*disable.*off$/), expect.stringMatching(/^v1.*create.*on$/)])
    await admin.getByLabel('Default (JSON)').fill('"yes"')
    await admin.getByLabel('Serve', { exact: false }).fill('{"value": 3}')
    expected.push(/status of 400/)
    await admin.getByRole('button', { name: 'Save' }).click()
    const defaultError = admin.locator('[data-path="default"] > .field-error')
    await expect.poll(() => defaultError.textContent()).toMatch(/must be a boolean/)
    expect(await admin.locator('[data-path="rules[0].serve"] > .field-error').textContent()).toMatch(/must be a boolean/)
    await admin.getByLabel('Default (JSON)').fill('false')
    await admin.getByLabel('Serve', { exact: false }).fill('{"rollout": [{"value": true, "weight": 25}]}')
    await admin.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => history.count()).toBe(3)
    expect(await history.first().textContent()).toMatch(/^v3.*edit.*off$/)
    expect(problems).toEqual([])
  }, 60_000)
})
