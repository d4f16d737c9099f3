// The real `npm run dev` server for Node-side tests: wrangler dev on a free port with its own
// state folder, started once per test file and stopped after it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
 * Bundles the Worker as `wrangler deploy` does and runs that bundle in workerd through Miniflare with
 * the bindings wrangler.toml declares (as wrangler dev configures them), persisting to `persist`.
 *
 * Why not wrangler dev itself: its Node-side dev proxy occasionally exits with an empty
 * "✘ [ERROR]" under a long browser run (seen every few runs of the 200-visitor walk, locally and in
 * CI), taking the server down mid-test. Here requests go straight to workerd's socket, and nothing
 * watches or rebuilds the sources. `npm run dev` itself is tested in dev-server.test.ts.
 */
export async function startBundledWorker(options: { persist: string; vars?: Record<string, string> }): Promise<DevServer> {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
  const fromRoot = createRequire(join(root, 'package.json'))
  const wranglerBin = fromRoot.resolve('wrangler/bin/wrangler.js')
  const outdir = join(options.persist, 'dist')
  execFileSync(process.execPath, [wranglerBin, 'deploy', '--dry-run', '--outdir', outdir], { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } })
  // wrangler's own Miniflare (the one wrangler dev runs), not the vitest pool's newer one.
  const wrangler = fromRoot('wrangler') as typeof import('wrangler')
  const { Miniflare } = createRequire(fromRoot.resolve('wrangler/package.json'))('miniflare') as typeof import('miniflare')
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(join(root, 'wrangler.toml'))
  let output = ''
  const port = await freePort()
  const mf = new Miniflare({
    workers: [
      {
        ...workerOptions,
        name: 'edgesplit',
        modules: true,
        modulesRoot: outdir,
        scriptPath: join(outdir, 'index.js'),
        bindings: { ...workerOptions.bindings, ENVIRONMENT: 'development', ...options.vars },
      },
    ],
    host: '127.0.0.1',
    port,
    defaultPersistRoot: options.persist,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (d: Buffer) => (output += d))
      stderr.on('data', (d: Buffer) => (output += d))
    },
  } as ConstructorParameters<typeof Miniflare>[0])
  await mf.ready
  const base = `http://127.0.0.1:${port}`
  if (!(await fetch(`${base}/health`)).ok) throw new Error(`the bundled Worker does not answer /health:\n${output}`)
  return { base, log: () => output, stop: () => mf.dispose() }
}

/**
 * Starts wrangler dev (as `npm run dev` does) persisting to `persist`, and waits until /health answers.
 * @example const dev = await startDevServer({ persist: newStateDir('x') }); …; await dev.stop()
 */
export async function startDevServer(options: { persist: string; vars?: Record<string, string>; timeoutMs?: number }): Promise<DevServer> {
  const port = await freePort()
  const child = startDev({ port, vars: options.vars, args: ['--persist-to', options.persist], stdio: 'pipe' })
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
