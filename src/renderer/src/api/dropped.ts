// Dropped files and folders (browser front). The DataTransfer items are only valid during the
// drop event, so `collectDropped` grabs the entries synchronously and walks folders afterwards.

interface FsEntry {
  isFile: boolean
  isDirectory: boolean
  name: string
}
interface FsFileEntry extends FsEntry {
  file(ok: (f: File) => void, fail: (e: unknown) => void): void
}
interface FsDirEntry extends FsEntry {
  createReader(): { readEntries(ok: (e: FsEntry[]) => void, fail: (e: unknown) => void): void }
}

/** Hidden files (.DS_Store, ._foo) inside dropped folders are never logs. */
function isHidden(name: string): boolean {
  return name.startsWith('.')
}

async function walk(entry: FsEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FsFileEntry).file(ok, fail))
    out.push(file)
    return
  }
  if (!entry.isDirectory) return
  const reader = (entry as FsDirEntry).createReader()
  // readEntries returns batches (about 100 at a time) until an empty batch.
  for (;;) {
    const batch = await new Promise<FsEntry[]>((ok, fail) => reader.readEntries(ok, fail))
    if (batch.length === 0) break
    batch.sort((a, b) => a.name.localeCompare(b.name))
    for (const child of batch) if (!isHidden(child.name)) await walk(child, out)
  }
}

/** Call synchronously inside the drop handler; resolves to every file, folders expanded. */
export function collectDropped(dt: DataTransfer): Promise<File[]> {
  const entries: FsEntry[] = []
  const loose: File[] = []
  const items = dt.items ? Array.from(dt.items) : []
  for (const item of items) {
    if (item.kind !== 'file') continue
    const getEntry = (item as { webkitGetAsEntry?: () => FsEntry | null }).webkitGetAsEntry
    const entry = getEntry ? getEntry.call(item) : null
    if (entry) entries.push(entry)
    else {
      const f = item.getAsFile()
      if (f) loose.push(f)
    }
  }
  if (items.length === 0 && dt.files) loose.push(...Array.from(dt.files))
  return (async () => {
    const out: File[] = [...loose]
    for (const e of entries) await walk(e, out)
    return out
  })()
}
