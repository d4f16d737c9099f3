#!/usr/bin/env node
// Copies the dashboard's charting library (uPlot) from node_modules into assets/admin/vendor/, where
// Workers Static Assets serve it from the Worker's own origin (no CDN, and not in the Worker script).
// Run by `npm install` (package.json "postinstall"); the copy is git-ignored, never committed.
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'))
const out = join(root, 'assets', 'admin', 'vendor')
mkdirSync(out, { recursive: true })
for (const file of ['uPlot.iife.min.js', 'uPlot.min.css']) copyFileSync(join(dist, file), join(out, file))
