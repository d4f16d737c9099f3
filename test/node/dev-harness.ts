// The real `npm run dev` server for Node-side tests: wrangler dev on a free port with its own
// state folder, started once per test file and stopped after it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDev } from '../../tools/dev.mjs'

/** Flags for Debian's Chromium as root in this closed network (see the env skill's node machine notes). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** A running dev server: its base URL, its output so far, and how to stop it. */
export type DevServer = { base: string; log: () => string; stop: () => Promise<void> }

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** A fresh, empty state folder for `--persist-to` (removed with `removeState`). */
export function newStateDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `edgesplit-${prefix}-`))
}

/** Removes a state folder made by `newStateDir`. */
export function removeState(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * Bundles the Worker once, as `wrangler deploy` does, into `dir` and writes beside it a copy of
 * wrangler.toml that serves that bundle as is (`no_bundle`). Returns the copy's path.
 *
 * Why: wrangler dev keeps esbuild in watch mode, and a rebuild that starts while wrangler's Node side
 * is busy can deadlock esbuild's service ("all goroutines are asleep", evanw/esbuild#3636), which
 * takes the dev server down in the middle of a long browser run. A prebuilt bundle has no rebuilds.
 */
export function prebuiltConfig(dir: string): string {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
  const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js')
  execFileSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', join(dir, 'dist')], { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } })
  const source = readFileSync(join(root, 'wrangler.toml'), 'utf8')
  const config = source
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(dir, 'dist', 'index.js'))}\nno_bundle = true`)
    .replace(/^directory = "\.\/assets"$/m, `directory = ${JSON.stringify(join(root, 'assets'))}`)
  if (!config.includes('no_bundle = true') || !config.includes(join(root, 'assets'))) throw new Error('wrangler.toml no longer has the `main` and `[assets] directory` lines prebuiltConfig rewrites')
  const path = join(dir, 'wrangler.toml')
  writeFileSync(path, config)
  return path
}

/**
 * Starts wrangler dev (as `npm run dev` does) persisting to `persist`, and waits until /health answers.
 * With `config` (from `prebuiltConfig`) it serves that prebuilt bundle instead of watching the sources.
 * @example const dev = await startDevServer({ persist: newStateDir('x') }); …; await dev.stop()
 */
export async function startDevServer(options: { persist: string; vars?: Record<string, string>; timeoutMs?: number; config?: string }): Promise<DevServer> {
  const port = await freePort()
  const configArgs = options.config ? ['--config', options.config] : []
  const child = startDev({ port, vars: options.vars, args: [...configArgs, '--persist-to', options.persist], stdio: 'pipe' })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d))
  child.stderr?.on('data', (d: Buffer) => (output += d))
  const base = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not start:\n${output}`)
    }
    try {
      if ((await fetch(`${base}/health`)).ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  return { base, log: () => output, stop }
}
