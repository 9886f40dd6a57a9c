// Why writing a file failed, from the file system's error code: for the sentence the user reads
// (the CLI's generate, the exports). Pure: codes are plain strings here.
export type WriteFailure = 'no_folder' | 'denied' | 'read_only' | 'full' | 'is_folder' | 'other'

export function writeFailure(code: string | undefined): WriteFailure {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no_folder'
    case 'EACCES':
    case 'EPERM':
      return 'denied'
    case 'EROFS':
      return 'read_only'
    case 'ENOSPC':
    case 'EDQUOT':
      return 'full'
    case 'EISDIR':
      return 'is_folder'
    default:
      return 'other'
  }
}
