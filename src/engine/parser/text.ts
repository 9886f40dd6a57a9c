// Text for display: decoding a byte range once a consumer needs it (top-k keys, samples).

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

/**
 * UTF-8 text of bytes [start, end): invalid bytes become U+FFFD, nginx `\xHH` escapes stay as
 * the log wrote them, a trailing `\r` is dropped. With maxChars, the result is at most maxChars
 * code points, the last one `…` when it was cut. Only the bytes needed are decoded.
 */
export function decodeText(buf: Uint8Array, start: number, end: number, maxChars?: number): string {
  if (end > start && buf[end - 1] === 13) end--
  if (end <= start) return ''
  if (maxChars === undefined) return decoder.decode(buf.subarray(start, end))
  if (maxChars <= 0) return ''
  // every code point takes 1..4 bytes, so this many bytes hold more than maxChars when cut
  const limit = maxChars * 4 + 4
  const s = decoder.decode(buf.subarray(start, Math.min(end, start + limit)))
  let count = 0
  let i = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++
    count++
    if (count === maxChars) break
  }
  if (count < maxChars || i + 1 >= s.length) {
    // fits (when the bytes were cut, at least maxChars + 1 code points were decoded)
    if (end - start <= limit) return s
  }
  // cut: keep maxChars - 1 code points and the ellipsis
  let j = 0
  for (let k = 0; k < maxChars - 1; k++) {
    const c = s.charCodeAt(j)
    j += c >= 0xd800 && c <= 0xdbff ? 2 : 1
  }
  return s.slice(0, j) + '…'
}
