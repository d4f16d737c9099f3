/** A progress bar on a terminal stream: `update(done)` redraws at most every 100 ms, `finish()` ends the line. */
export type ProgressBar = { update(done: number): void; finish(): void }

/**
 * A one-line progress bar (`label [█████░░░░░] 1200/2000  60%  410/s`) drawn with `\r` on a TTY;
 * silent when the stream is not a terminal or `enabled` is false, so logs and CI output stay clean.
 * @example const bar = progressBar('visits', 2000, process.stderr); bar.update(1200); bar.finish()
 */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream, enabled = true): ProgressBar {
  const live = enabled && stream.isTTY === true
  const started = Date.now()
  let drawn = 0
  let last = 0
  const draw = (done: number) => {
    const width = 30
    const filled = Math.round((width * done) / total)
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${String(Math.floor((100 * done) / total)).padStart(3)}%  ${rate}/s `)
    drawn = done
  }
  return {
    update(done) {
      if (!live) return
      const now = Date.now()
      if (now - last < 100 && done < total) return
      last = now
      draw(done)
    },
    finish() {
      if (!live) return
      if (drawn < total) draw(total)
      stream.write('\n')
    },
  }
}
