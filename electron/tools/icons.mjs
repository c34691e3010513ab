// Draws MinerDesk's icon (a rounded tile with two peaks, "a mine on a ridge") and writes the
// PNG, ICO and ICNS files electron-builder needs under resources/build/. Run it after changing
// the drawing: node electron/tools/icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { ROOT } from './bundle.mjs'

function crc32(buf) {
  let c, crc = 0xffffffff
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

function png(size, rgba) {
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

function inPolygon(x, y, pts) {
  let inside = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]
    const [xj, yj] = pts[j]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

// Shapes in unit coordinates (0..1).
const peaks = [[0.2, 0.72], [0.4, 0.36], [0.52, 0.54], [0.62, 0.42], [0.8, 0.72]]
function inTile(x, y) {
  const r = 0.2, m = 0.06
  const cx = Math.min(Math.max(x, m + r), 1 - m - r)
  const cy = Math.min(Math.max(y, m + r), 1 - m - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= 1 - m && y >= m && y <= 1 - m
}
function sample(x, y) {
  if (!inTile(x, y)) return null
  if (inPolygon(x, y, peaks)) return [255, 255, 255]
  if ((x - 0.5) ** 2 + (y - 0.8) ** 2 < 0.035 ** 2) return [72, 201, 176]
  if (y > 0.78 && y < 0.8 && x > 0.2 && x < 0.8) return [180, 196, 214]
  return [31, 58, 95]
}

function render(size) {
  const ss = 4
  const buf = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size)
          if (c) { r += c[0]; g += c[1]; b += c[2]; a++ }
        }
      }
      const o = (py * size + px) * 4
      if (a) { buf[o] = r / a; buf[o + 1] = g / a; buf[o + 2] = b / a }
      buf[o + 3] = Math.round((a / (ss * ss)) * 255)
    }
  }
  return png(size, buf)
}

function ico(pngs) {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(pngs.length, 4)
  const entries = []
  let offset = 6 + 16 * pngs.length
  for (const [size, data] of pngs) {
    const e = Buffer.alloc(16)
    e[0] = size >= 256 ? 0 : size
    e[1] = size >= 256 ? 0 : size
    e.writeUInt16LE(1, 4)
    e.writeUInt16LE(32, 6)
    e.writeUInt32LE(data.length, 8)
    e.writeUInt32LE(offset, 12)
    offset += data.length
    entries.push(e)
  }
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p[1])])
}

function icns(parts) {
  const blocks = parts.map(([type, data]) => {
    const h = Buffer.alloc(8)
    h.write(type, 0, 'ascii')
    h.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([h, data])
  })
  const body = Buffer.concat(blocks)
  const h = Buffer.alloc(8)
  h.write('icns', 0, 'ascii')
  h.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([h, body])
}

const dir = join(ROOT, 'resources', 'build')
mkdirSync(join(dir, 'icons'), { recursive: true })
const sizes = [16, 32, 48, 64, 128, 256, 512, 1024]
const pngs = Object.fromEntries(sizes.map((s) => [s, render(s)]))
for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(dir, 'icons', `${s}x${s}.png`), pngs[s])
writeFileSync(join(dir, 'icon.png'), pngs[1024])
writeFileSync(join(dir, 'icon.ico'), ico([16, 32, 48, 256].map((s) => [s, pngs[s]])))
writeFileSync(join(dir, 'icon.icns'), icns([['ic07', pngs[128]], ['ic08', pngs[256]], ['ic09', pngs[512]], ['ic10', pngs[1024]]]))
writeFileSync(join(ROOT, 'resources', 'icon.png'), pngs[256])
console.log('icons written to', dir)
