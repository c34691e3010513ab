/**
 * Go's text/tabwriter (column blocks, padding, trailing cells unpadded) and Lotus's
 * lib/tablewriter (columns dropped when no row has a value, separate-line columns), so the
 * simulated CLI lays tables out byte for byte as the Go binaries do.
 */

function runeLen(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length
}

/** text/tabwriter.NewWriter(out, minwidth, tabwidth, padding, ' ', 0) applied to a whole text. */
export function tabwrite(text: string, minwidth = 2, padding = 2): string {
  const endsNl = text.endsWith('\n')
  const lines = (endsNl ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'))
  const widths: number[] = []
  const out: string[] = []

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i] as string[]
      let s = ''
      cells.forEach((c, j) => {
        if (j < cells.length - 1 && j < widths.length) s += c + ' '.repeat(Math.max(0, (widths[j] as number) - runeLen(c)))
        else s += c
      })
      out.push(s)
    }
  }

  const format = (line0: number, line1: number) => {
    const column = widths.length
    for (let t = line0; t < line1; t++) {
      if (column >= (lines[t] as string[]).length - 1) continue
      writeLines(line0, t)
      line0 = t
      let width = minwidth
      for (; t < line1; t++) {
        const cells = lines[t] as string[]
        if (column >= cells.length - 1) break
        width = Math.max(width, runeLen(cells[column] as string) + padding)
      }
      widths.push(width)
      format(line0, t)
      widths.pop()
      line0 = t
    }
    writeLines(line0, line1)
  }

  format(0, lines.length)
  return out.join('\n') + (endsNl ? '\n' : '')
}

export interface TableColumn {
  name: string
  separateLine?: boolean
}

/** lib/tablewriter: rows of named cells; columns with no value in any row are dropped. */
export class TableWriter {
  private cols: { name: string; separateLine: boolean; lines: number }[]
  private rows: Map<number, string>[] = []

  constructor(cols: TableColumn[]) {
    this.cols = cols.map((c) => ({ name: c.name, separateLine: c.separateLine ?? false, lines: 0 }))
  }

  write(r: Record<string, unknown>): void {
    const row = new Map<number, string>()
    for (const [name, val] of Object.entries(r)) {
      let i = this.cols.findIndex((c) => c.name === name)
      if (i < 0) {
        this.cols.push({ name, separateLine: false, lines: 0 })
        i = this.cols.length - 1
      }
      row.set(i, String(val))
      ;(this.cols[i] as { lines: number }).lines++
    }
    this.rows.push(row)
  }

  flush(): string {
    const header = new Map<number, string>()
    this.cols.forEach((c, i) => {
      if (!c.separateLine) header.set(i, c.name)
    })
    const rows = [header, ...this.rows]
    const widths = this.cols.map((c, i) => {
      if (c.lines === 0) return 0
      let w = 0
      for (const r of rows) {
        const v = r.get(i)
        if (v !== undefined) w = Math.max(w, runeLen(v))
      }
      return w
    })
    let out = ''
    for (const r of rows) {
      const sep: [string, string][] = []
      this.cols.forEach((c, i) => {
        if (c.lines === 0) return
        const e = r.get(i) ?? ''
        if (!c.separateLine) out += e + ' '.repeat((widths[i] as number) - runeLen(e) + 2)
        else if (e.length > 0) sep.push([c.name, e])
      })
      out += '\n'
      for (const [name, v] of sep) out += `  ${name}: ${v}\n`
    }
    return out
  }
}
