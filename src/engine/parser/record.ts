// The parser's output for one line: a reusable record of numbers and byte offsets.
// The hot loop parses millions of lines a second into ONE instance of this class; nothing here
// allocates per line. Text fields are not decoded: they are byte ranges into the line's buffer,
// decoded only by consumers that need the text (top-k panels, invalid-line samples).

/** How the client field was understood. */
export const CLIENT_IPV4 = 0
export const CLIENT_IPV6 = 1
/** A hostname (Apache HostnameLookups) or any other token: its own client key, compared as bytes. */
export const CLIENT_HOST = 2
export type ClientKind = typeof CLIENT_IPV4 | typeof CLIENT_IPV6 | typeof CLIENT_HOST

/**
 * Result codes of LineParser.parse: 0 for a valid line, otherwise 1 + the index of the reason
 * in INVALID_REASONS (src/shared/types.ts), so counters can be a small typed array.
 */
export const VALID = 0

export class LineRecord {
  clientKind: ClientKind = CLIENT_IPV4
  /** IPv4 address as an unsigned 32-bit integer (CLIENT_IPV4). */
  ipv4 = 0
  /** IPv6 address as four big-endian 32-bit words, canonical (CLIENT_IPV6). */
  readonly ipv6 = new Uint32Array(4)
  /** Byte range of the client token (always set; used for CLIENT_HOST keys and samples). */
  clientStart = 0
  clientEnd = 0

  /** Request time, whole seconds since the Unix epoch (UTC). */
  timeSec = 0
  /** The line's UTC offset in minutes (+0800 → 480); 0 for formats without one. */
  tzOffsetMin = 0

  /** HTTP status, 100..999. */
  status = 0
  /** Body bytes (or bytes sent, per format); 0 when logged as `-`. */
  bytes = 0

  /** Byte ranges of text fields; start === end when absent or `-`. */
  methodStart = 0
  methodEnd = 0
  /** The request target without its query string. */
  pathStart = 0
  pathEnd = 0
  refererStart = 0
  refererEnd = 0
  agentStart = 0
  agentEnd = 0
}

/** A compiled log format: turns one line of bytes into a LineRecord. */
export interface LineParser {
  /** The format's id (`combined`, `common`, `vhost_combined`, …) or `custom`. */
  readonly id: string
  /** The format as the user would write it (preset name or the log_format string). */
  readonly label: string
  /**
   * Parse bytes [start, end) of `buf` (no line terminator; a trailing `\r` may be present and
   * must be tolerated). Fills `out` and returns VALID, or 1 + the index of an InvalidReason.
   * Never throws, never allocates per line on the valid path.
   */
  parse(buf: Uint8Array, start: number, end: number, out: LineRecord): number
  /**
   * For presets, the shape of fast.ts's hand-written path (the WebAssembly line parser takes
   * the same shapes); -1 or absent for other formats.
   */
  readonly fastShape?: number
}
