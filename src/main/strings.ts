// The few sentences main says itself (menus, native dialogs), in both languages. The renderer
// has its own, much larger, catalogue.
import type { Locale } from '../shared/contract'
import type { ErrorCode, FileSelection } from '../shared/types'

const en = {
  file: 'File',
  open: 'Open…',
  openFolder: 'Open Folder…',
  openRecent: 'Open Recent',
  noRecent: 'No recent analyses',
  showAllAnalyses: 'All Analyses…',
  trySample: 'Try with a Sample Log',
  export: 'Export Report…',
  quit: 'Quit',
  edit: 'Edit',
  view: 'View',
  language: 'Switch Language (中文 / English)',
  window: 'Window',
  help: 'Help',
  about: 'About LogLens',
  showLogs: 'Show App Logs',
  openTitle: 'Open access logs',
  openFolderTitle: 'Open a folder of access logs',
  logFiles: 'Access logs',
  allFiles: 'All files',
  quitTitle: 'An analysis is running',
  quitMessage: 'Quit LogLens and stop the running analysis?',
  quitDetail: 'The results read so far are kept and marked incomplete.',
  quitYes: 'Stop and Quit',
  quitNo: 'Keep Running',
  skippedTitle: 'Some files were not opened',
  nothingOpened: 'None of these files can be analysed.',
  skippedDetail: (lines: string[]) => lines.join('\n'),
  nativeMissing:
    'The database module has not been built for this Electron version. Run `npm run native:electron` (needs a network connection), then start LogLens again.',
  aboutCredit: 'With thanks to 程序员晚枫, whose lesson this app grew from.',
  startupFailed: 'LogLens could not open its database, so it cannot start.',
  reasons: {
    NOT_A_LOG: 'not an access log',
    EMPTY_INPUT: 'empty',
    UNREADABLE: 'cannot be read (permissions?)',
    NOT_FOUND: 'not found',
    GZIP_CORRUPT: 'damaged .gz file',
  } as Partial<Record<ErrorCode, string>>,
}

const zh: typeof en = {
  file: '文件',
  open: '打开…',
  openFolder: '打开文件夹…',
  openRecent: '最近的分析',
  noRecent: '暂无最近的分析',
  showAllAnalyses: '全部分析…',
  trySample: '用示例日志试一试',
  export: '导出报告…',
  quit: '退出',
  edit: '编辑',
  view: '视图',
  language: '切换语言（中文 / English）',
  window: '窗口',
  help: '帮助',
  about: '关于 LogLens',
  showLogs: '查看应用日志',
  openTitle: '打开访问日志',
  openFolderTitle: '打开包含访问日志的文件夹',
  logFiles: '访问日志',
  allFiles: '所有文件',
  quitTitle: '分析正在进行',
  quitMessage: '退出 LogLens 并停止正在进行的分析吗？',
  quitDetail: '已读取的结果会保留，并标记为不完整。',
  quitYes: '停止并退出',
  quitNo: '继续分析',
  skippedTitle: '有些文件没有打开',
  nothingOpened: '这些文件都无法分析。',
  skippedDetail: (lines: string[]) => lines.join('\n'),
  nativeMissing:
    '数据库模块尚未针对当前 Electron 版本编译。请运行 `npm run native:electron`（需要联网），然后重新启动 LogLens。',
  aboutCredit: '感谢程序员晚枫，本应用源自他的课程。',
  startupFailed: 'LogLens 无法打开它的数据库，因此无法启动。',
  reasons: {
    NOT_A_LOG: '不是访问日志',
    EMPTY_INPUT: '空文件或空文件夹',
    UNREADABLE: '无法读取（权限不足？）',
    NOT_FOUND: '找不到文件',
    GZIP_CORRUPT: '.gz 文件已损坏',
  },
}

export type MainStrings = typeof en

export function mainStrings(locale: Locale): MainStrings {
  return locale === 'zh-CN' ? zh : en
}

/** The supported locale closest to the OS's preferred languages (zh* → zh-CN, else en). */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const t = tag.toLowerCase()
    if (t.startsWith('zh')) return 'zh-CN'
    if (t.startsWith('en')) return 'en'
  }
  return 'en'
}

/** One line per skipped file: its name and why, in the user's language when we know the reason. */
export function skippedLines(s: MainStrings, selection: FileSelection, max = 12): string[] {
  const lines = selection.skipped
    .slice(0, max)
    .map((k) => `${k.name}: ${s.reasons[k.error.code] ?? k.error.message}`)
  if (selection.skipped.length > max) lines.push(`… (+${selection.skipped.length - max})`)
  return lines
}
