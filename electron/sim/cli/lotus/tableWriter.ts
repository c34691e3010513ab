/**
 * Lotus's lib/tablewriter: columns in declaration order, a column shown only when some row has
 * a value for it, every cell padded to the column width + 2 (the last one too), and "new line"
 * columns printed under their row as `  Name: value`.
 */
export interface Column {
  name: string
  newLine?: boolean
}

export function renderTable(cols: Column[], rows: Record<string, string>[]): string {
  const used = cols.map((c) => rows.some((r) => r[c.name] !== undefined))
  const header: Record<string, string> = {}
  for (const c of cols) if (!c.newLine) header[c.name] = c.name
  const all = [header, ...rows]
  const widths = cols.map((c, i) => (used[i] ? Math.max(...all.map((r) => [...(r[c.name] ?? '')].length)) : 0))
  let out = ''
  for (const r of all) {
    let line = ''
    cols.forEach((c, i) => {
      if (!used[i] || c.newLine) return
      const v = r[c.name] ?? ''
      line += v + ' '.repeat((widths[i] as number) - [...v].length + 2)
    })
    out += `${line}\n`
    cols.forEach((c, i) => {
      const v = r[c.name]
      if (used[i] && c.newLine && v) out += `  ${c.name}: ${v}\n`
    })
  }
  return out
}
