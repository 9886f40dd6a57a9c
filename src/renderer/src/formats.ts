// Log format presets the picker offers. Ids match the engine's presets; anything else the user
// types is passed through as an nginx log_format / Apache LogFormat string.
export const FORMAT_PRESETS: string[] = ['combined', 'common', 'vhost_combined']

const LABELS: Record<string, string> = {
  combined: 'combined (nginx / Apache)',
  common: 'common (CLF)',
  vhost_combined: 'vhost_combined (Apache)',
}

export function formatLabel(format: string): string {
  return LABELS[format] ?? format
}

/** Short name for cards and badges; long custom strings are cut. */
export function formatShort(format: string): string {
  if (LABELS[format]) return format
  // Files in different formats (each detected): the first, and how many more.
  const parts = format.split(' + ')
  if (parts.length > 1 && parts.every((p) => /^[a-z_]+$/.test(p)))
    return `${parts[0]} +${parts.length - 1}`
  return format.length > 28 ? format.slice(0, 27) + '…' : format
}
