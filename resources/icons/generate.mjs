// Draws the LogLens icon (no network, no image tools): a blue-to-teal rounded square with a
// rising bar chart under a magnifying lens. Writes icon.svg (the source of truth for designers),
// PNGs at every size electron-builder and the OSes want, icon.ico (Windows) and icon.icns (macOS).
//
//   node resources/icons/generate.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PNG } from 'pngjs'

const here = dirname(fileURLToPath(import.meta.url))

// Geometry in a unit square (0..1), shared by the SVG and the rasteriser.
const G = {
  bg: { inset: 0.06, radius: 0.2, from: [0x2f, 0x6b, 0xff], to: [0x14, 0xb8, 0xa6] },
  bars: [
    { x: 0.2, w: 0.1, top: 0.58 },
    { x: 0.35, w: 0.1, top: 0.46 },
    { x: 0.5, w: 0.1, top: 0.34 },
  ],
  base: 0.78,
  barRadius: 0.018,
  lens: { cx: 0.6, cy: 0.4, r: 0.19, ring: 0.06, glass: 0.18 },
  handle: { x1: 0.735, y1: 0.535, x2: 0.84, y2: 0.64, r: 0.05 },
}

function svg() {
  const { bg, bars, base, barRadius, lens, handle } = G
  const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('')
  const n = (v) => +(v * 1024).toFixed(2)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <title>LogLens</title>
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${hex(bg.from)}"/>
      <stop offset="1" stop-color="${hex(bg.to)}"/>
    </linearGradient>
  </defs>
  <rect x="${n(bg.inset)}" y="${n(bg.inset)}" width="${n(1 - 2 * bg.inset)}" height="${n(1 - 2 * bg.inset)}" rx="${n(bg.radius)}" fill="url(#bg)"/>
  <g fill="#fff">
${bars.map((b) => `    <rect x="${n(b.x)}" y="${n(b.top)}" width="${n(b.w)}" height="${n(base - b.top)}" rx="${n(barRadius)}"/>`).join('\n')}
  </g>
  <circle cx="${n(lens.cx)}" cy="${n(lens.cy)}" r="${n(lens.r)}" fill="#fff" fill-opacity="${lens.glass}" stroke="#fff" stroke-width="${n(lens.ring)}"/>
  <line x1="${n(handle.x1)}" y1="${n(handle.y1)}" x2="${n(handle.x2)}" y2="${n(handle.y2)}" stroke="#fff" stroke-width="${n(handle.r * 2)}" stroke-linecap="round"/>
</svg>
`
}

// Signed distances (negative inside).
function sdRoundRect(px, py, x0, y0, x1, y1, r) {
  const cx = (x0 + x1) / 2
  const cy = (y0 + y1) / 2
  const hx = (x1 - x0) / 2 - r
  const hy = (y1 - y0) / 2 - r
  const qx = Math.abs(px - cx) - hx
  const qy = Math.abs(py - cy) - hy
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}
function sdSegment(px, py, x1, y1, x2, y2, r) {
  const dx = x2 - x1
  const dy = y2 - y1
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - x1 - t * dx, py - y1 - t * dy) - r
}

/** RGBA of one point: background gradient, then white shapes over it. */
function shade(px, py) {
  const { bg, bars, base, barRadius, lens, handle } = G
  if (sdRoundRect(px, py, bg.inset, bg.inset, 1 - bg.inset, 1 - bg.inset, bg.radius) > 0)
    return [0, 0, 0, 0]
  const t = Math.max(0, Math.min(1, (px + py - 2 * bg.inset) / (2 - 4 * bg.inset)))
  let c = bg.from.map((f, i) => f + (bg.to[i] - f) * t)
  const over = (alpha) => (c = c.map((v) => v + (255 - v) * alpha))
  const dLens = Math.hypot(px - lens.cx, py - lens.cy)
  if (dLens < lens.r) over(lens.glass)
  if (bars.some((b) => sdRoundRect(px, py, b.x, b.top, b.x + b.w, base, barRadius) <= 0)) over(1)
  if (Math.abs(dLens - lens.r) <= lens.ring / 2) over(1)
  if (sdSegment(px, py, handle.x1, handle.y1, handle.x2, handle.y2, handle.r) <= 0) over(1)
  return [c[0], c[1], c[2], 255]
}

/** Rasterise at `size` px with ss×ss samples per pixel (premultiplied average). */
function render(size) {
  const ss = size <= 64 ? 8 : 4
  const png = new PNG({ width: size, height: size })
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const [cr, cg, cb, ca] = shade((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size)
          r += (cr * ca) / 255
          g += (cg * ca) / 255
          b += (cb * ca) / 255
          a += ca
        }
      const n = ss * ss
      const i = (y * size + x) * 4
      const alpha = a / n
      png.data[i] = alpha ? Math.round((r / n) * (255 / alpha)) : 0
      png.data[i + 1] = alpha ? Math.round((g / n) * (255 / alpha)) : 0
      png.data[i + 2] = alpha ? Math.round((b / n) * (255 / alpha)) : 0
      png.data[i + 3] = Math.round(alpha)
    }
  return PNG.sync.write(png)
}

function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, data }, k) => {
    const e = 6 + 16 * k
    header.writeUInt8(size >= 256 ? 0 : size, e)
    header.writeUInt8(size >= 256 ? 0 : size, e + 1)
    header.writeUInt16LE(1, e + 4)
    header.writeUInt16LE(32, e + 6)
    header.writeUInt32LE(data.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...images.map((i) => i.data)])
}

function icns(entries) {
  const chunks = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8)
    h.write(type, 0, 'ascii')
    h.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([h, data])
  })
  const h = Buffer.alloc(8)
  h.write('icns', 0, 'ascii')
  h.writeUInt32BE(8 + chunks.reduce((s, c) => s + c.length, 0), 4)
  return Buffer.concat([h, ...chunks])
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const png = Object.fromEntries(sizes.map((s) => [s, render(s)]))

const write = (name, data) => {
  const file = join(here, name)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, data)
  console.log(`${name.padEnd(22)} ${data.length} bytes`)
}
write('icon.svg', svg())
write('icon.png', png[512])
for (const s of sizes) write(`png/${s}x${s}.png`, png[s])
write('icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: png[size] }))))
write(
  'icon.icns',
  icns([
    { type: 'icp4', data: png[16] },
    { type: 'icp5', data: png[32] },
    { type: 'icp6', data: png[64] },
    { type: 'ic07', data: png[128] },
    { type: 'ic08', data: png[256] },
    { type: 'ic09', data: png[512] },
    { type: 'ic10', data: png[1024] },
    { type: 'ic11', data: png[32] },
    { type: 'ic12', data: png[64] },
    { type: 'ic13', data: png[256] },
    { type: 'ic14', data: png[512] },
  ]),
)
