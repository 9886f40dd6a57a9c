// The log-line parser: compile a format once, then parse millions of lines into one LineRecord.
//
// Rules the rest of the engine can rely on:
// - parse() returns VALID (0) or 1 + an index of INVALID_REASONS, never throws, never
//   allocates on the valid path, and takes time linear in the line length.
// - A valid line fully matches the format. Inside quotes anything goes (`-`, empty, binary
//   `\x16\x03…`, `GET GET /x`): method and path are set when the request is METHOD SP TARGET…,
//   else left empty. A trailing `\r`, a UTF-8 BOM and trailing spaces are ignored.
// - Formats with runs of spaces (`$remote_addr  $remote_user`) also accept any run of spaces
//   there, because real logs written with such formats disagree with them (OTUS).
// - Fields a format lacks stay 0 / empty (status 0 without $status, bytes 0 without a size).
//
// Decisions:
// - Client lists (`10.0.0.2, 10.0.0.1, 1.2.3.4`, as X-Forwarded-For or as filebeat's test lines
//   show): the client key is the first public address of the list, else its first address,
//   else its first item; clientStart/End cover that item.
// - IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address: clientKind CLIENT_IPV4.
// - Hostname clients are their own key, compared ASCII case-insensitively (clientKeyString
//   lowercases, hostKeyHash hashes the same way); a trailing root dot is left out of the
//   client byte range.
// - Quoted fields: a backslash escapes the next byte (Apache `\"`, `\\`); nginx `\xHH` stays as
//   written in the byte ranges and in decodeText.
// - Without $remote_addr (%h), $http_x_real_ip or $http_x_forwarded_for is the client.

import { parseSpec } from './spec'
import { CompiledParser } from './machine'
import { isPresetId, presetFor, presetParser } from './presets'
import type { LineParser } from './record'

export * from './record'
export { PRESET_IDS, PRESETS, PRESET_RANK } from './presets'
export type { PresetId, PresetInfo } from './presets'
export { detectFileFormat, detectFormat, DETECT_LINES } from './detect'
export type { DetectResult } from './detect'
export { clientKeyString, hostKeyHash, ipv4ToString, ipv6WordsToString } from './client'
export { decodeText } from './text'

export type CompileResult = { ok: true; parser: LineParser } | { ok: false; error: string }

/**
 * Compile a format: a preset id (`combined`, `common`, `vhost_combined`, `combined_extra`), an
 * nginx log_format string (bare, as quoted pieces, or the whole `log_format name '…';`
 * directive) or an Apache LogFormat string (bare or `LogFormat "…" nick`). A string equivalent
 * to a preset gets the preset's id and parser.
 */
export function compileFormat(spec: string): CompileResult {
  const id = spec.trim().toLowerCase()
  if (isPresetId(id)) return { ok: true, parser: presetParser(id) }
  const r = parseSpec(spec)
  if (!r.ok) return { ok: false, error: r.error }
  const preset = presetFor(r.elems)
  if (preset) return { ok: true, parser: presetParser(preset) }
  return { ok: true, parser: new CompiledParser('custom', spec.trim(), r.elems) }
}
