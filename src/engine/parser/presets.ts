// The preset formats: their ids (in display order), the nginx log_format and Apache LogFormat
// each corresponds to, and how to build their parsers.

import { SHAPE_COMMON, SHAPE_EXTRA, SHAPE_VHOST } from './fast'
import { CompiledParser } from './machine'
import { parseSpec, signature } from './spec'
import type { Elem } from './spec'

export const PRESET_IDS = ['combined', 'common', 'vhost_combined', 'combined_extra'] as const
export type PresetId = (typeof PRESET_IDS)[number]

export interface PresetInfo {
  id: PresetId
  /** The nginx log_format text (for combined_extra: an example, any trailing fields parse). */
  nginx: string
  /** The Apache LogFormat equivalent, null when Apache has none. */
  apache: string | null
  /** One English sentence for people choosing a format. */
  description: string
}

const COMBINED_NGINX =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
const COMBINED_APACHE = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'

export const PRESETS: Record<PresetId, PresetInfo> = {
  combined: {
    id: 'combined',
    nginx: COMBINED_NGINX,
    apache: COMBINED_APACHE,
    description: 'nginx and Apache "combined": the default access log of both servers.',
  },
  common: {
    id: 'common',
    nginx: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent',
    apache: '%h %l %u %t "%r" %>s %b',
    description: 'NCSA Common Log Format: combined without referrer and user agent.',
  },
  vhost_combined: {
    id: 'vhost_combined',
    nginx:
      '$host:$server_port $remote_addr - $remote_user [$time_local] "$request" $status $bytes_sent "$http_referer" "$http_user_agent"',
    apache: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    description:
      'Apache vhost_combined (Debian/Ubuntu other_vhosts_access.log): "host:port" before combined.',
  },
  combined_extra: {
    id: 'combined_extra',
    nginx: COMBINED_NGINX + ' "$http_x_forwarded_for" $request_time $upstream_response_time',
    apache: null,
    description:
      'combined followed by any extra fields (e.g. "$http_x_forwarded_for" $request_time), which are ignored.',
  },
}

/** When two presets parse the same number of lines, the lower rank (more specific) wins. */
export const PRESET_RANK: Record<PresetId, number> = {
  vhost_combined: 0,
  combined: 1,
  common: 2,
  combined_extra: 3,
}

function mustParse(spec: string): Elem[] {
  const r = parseSpec(spec)
  if (!r.ok) throw new Error(`preset format does not compile: ${r.error}`)
  return r.elems
}

// The presets are built from their Apache text, where the identd field (%l) is a field: an
// nginx line always has `-` there, so this accepts both servers' lines.
const PRESET_ELEMS: Record<PresetId, Elem[]> = {
  combined: mustParse(COMBINED_APACHE),
  common: mustParse(PRESETS.common.apache!),
  vhost_combined: mustParse(PRESETS.vhost_combined.apache!),
  combined_extra: [...mustParse(COMBINED_APACHE), { t: 'field', kind: 'rest', name: '…' }],
}

const PRESET_SHAPE: Record<PresetId, number> = {
  combined: 0,
  common: SHAPE_COMMON,
  vhost_combined: SHAPE_VHOST,
  combined_extra: SHAPE_EXTRA,
}

/** Signature of a user's format → the preset it is equivalent to. */
const BY_SIGNATURE = new Map<string, PresetId>()
for (const id of PRESET_IDS) {
  const p = PRESETS[id]
  if (id === 'combined_extra') continue
  BY_SIGNATURE.set(signature(mustParse(p.nginx)), id)
  if (p.apache) BY_SIGNATURE.set(signature(mustParse(p.apache)), id)
}

export function isPresetId(s: string): s is PresetId {
  return (PRESET_IDS as readonly string[]).includes(s)
}

export function presetFor(elems: Elem[]): PresetId | undefined {
  return BY_SIGNATURE.get(signature(elems))
}

/** A fresh parser for a preset (each parser keeps its own timestamp cache). */
export function presetParser(id: PresetId): CompiledParser {
  return new CompiledParser(id, id, PRESET_ELEMS[id], PRESET_SHAPE[id])
}
