#!/usr/bin/env node
// Ensures the OS packages the test suite shells out to are installed: a real `redis-server` behind
// the local Upstash REST server, and Debian's `chromium` for playwright-core (which ships no browser).
//
//   node tools/provision.mjs                      # ensure redis-server and chromium
//   node tools/provision.mjs redis-server         # ensure only these
//   node tools/provision.mjs --check              # report what is missing, never install
//
// Installs only when it can do so safely and non-interactively (root, Debian, apt-get present);
// otherwise it fails with the exact command to run, so CI logs say what to fix.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { isMain } from './is-main.mjs'

/** Known system dependencies: the binaries that prove each is present and the Debian package providing it. */
export const SYSTEM_DEPS = Object.freeze({
  'redis-server': { binaries: ['redis-server'], fallbacks: ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], apt: 'redis-server' },
  chromium: {
    binaries: ['chromium', 'chromium-browser'],
    fallbacks: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'],
    apt: 'chromium',
  },
})

/** Returns the absolute path of an executable found on PATH (or at one of `fallbacks`), or null. */
export function findBinary(name, fallbacks = []) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const candidate of [...dirs.map((d) => join(d, name)), ...fallbacks]) {
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; keep looking
    }
  }
  return null
}

/** Returns the path of a known dependency's binary (see SYSTEM_DEPS), or null when it is not installed. */
export function findDependency(dep) {
  const spec = SYSTEM_DEPS[dep]
  if (!spec) throw new Error(`provision: unknown system dependency "${dep}" (known: ${Object.keys(SYSTEM_DEPS).join(', ')})`)
  for (const bin of spec.binaries) {
    const found = findBinary(bin, spec.fallbacks.filter((p) => p.endsWith(`/${bin}`)))
    if (found) return found
  }
  return null
}

// apt-get update is slow and the package index does not change within one process.
let aptUpdated = false

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    // Inherit stdio so long installs stream progress instead of looking hung.
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`provision: \`${cmd} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`})`)),
    )
  })
}

function canAptInstall() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  return isRoot && existsSync('/etc/debian_version') && findBinary('apt-get') !== null
}

/**
 * Ensures each named dependency is installed, apt-installing missing ones when possible; resolves to
 * `{ [dep]: absolutePath }` and rejects with the exact install command when it cannot install.
 */
export async function ensureSystemDeps(deps = Object.keys(SYSTEM_DEPS), { install = true, log = console.error } = {}) {
  const missing = deps.filter((dep) => findDependency(dep) === null)
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((dep) => SYSTEM_DEPS[dep].apt))]
    const hint = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`
    if (!install) {
      throw new Error(`provision: missing system packages: ${missing.join(', ')}. Install them with:\n  ${hint}`)
    }
    if (!canAptInstall()) {
      throw new Error(
        `provision: missing system packages: ${missing.join(', ')}, and cannot install them here ` +
          `(needs root on Debian/Ubuntu with apt-get). Install them with:\n  ${hint}\n` +
          `(on other systems install the equivalents of Debian's ${pkgs.join(', ')} so that ${missing.join(', ')} is on PATH)`,
      )
    }
    log(`provision: installing ${pkgs.join(' ')} …`)
    if (!aptUpdated) {
      await run('apt-get', ['update'])
      aptUpdated = true
    }
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs])
  }
  const paths = {}
  for (const dep of deps) {
    const path = findDependency(dep)
    if (!path) throw new Error(`provision: ${dep} is still missing after installing ${SYSTEM_DEPS[dep].apt}`)
    paths[dep] = path
  }
  return paths
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: node tools/provision.mjs [--check] [${Object.keys(SYSTEM_DEPS).join('] [')}]`)
    process.exit(0)
  }
  const deps = args.filter((a) => !a.startsWith('--'))
  try {
    await ensureSystemDeps(deps.length ? deps : Object.keys(SYSTEM_DEPS), { install: !args.includes('--check') })
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
}
