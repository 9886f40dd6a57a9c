// The CLI's own sentences: the language a command line asks for, and the usage in both languages.
import { describe, expect, it } from 'vitest'
import { cliMessages, langOfArgs } from '../../src/cli/messages'
import { progressLine } from '../../src/cli/progress-line'
import { EXPORT_KINDS } from '../../src/shared/contract'

describe('CLI messages', () => {
  it('take the language from the last --lang, else LANG', () => {
    expect(langOfArgs(['a.log'], undefined)).toBe('en')
    expect(langOfArgs(['a.log'], 'zh_CN.UTF-8')).toBe('zh-CN')
    expect(langOfArgs(['a.log', '--lang', 'zh'], 'C.UTF-8')).toBe('zh-CN')
    expect(langOfArgs(['--lang=zh', 'a.log'], undefined)).toBe('zh-CN')
    expect(langOfArgs(['--lang', 'zh', '--lang', 'en'], 'zh_CN')).toBe('en')
    // After `--` it is a file name.
    expect(langOfArgs(['--', '--lang', 'zh'], 'en_US')).toBe('en')
  })

  it('show the same commands and export formats in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const usage = cliMessages(lang).usage('/db/loglens.db')
      const commands = usage.match(/^ {2}loglens \S+/gm)
      expect(commands).toEqual([
        '  loglens analyze',
        '  loglens report',
        '  loglens serve',
        '  loglens generate',
        '  loglens --help',
      ])
      expect(usage).toContain(`--format ${EXPORT_KINDS.join('|')}`)
      expect(usage).toContain('/db/loglens.db')
      for (const opt of ['--jobs', '--json', '--chart', '--lang', '--port', '--seed'])
        expect(usage).toContain(opt)
    }
  })

  it('count lines in the voice of the lesson, one line in the singular', () => {
    const mb = 62.4 * 1024 * 1024
    expect(progressLine('en', 1, mb)).toBe('[程序员晚枫] Processed 1 line, memory 62.4 MB')
    expect(progressLine('en', 999, mb)).toBe('[程序员晚枫] Processed 999 lines, memory 62.4 MB')
    expect(progressLine('en', 3_000_000, mb)).toBe(
      '[程序员晚枫] Processed 3.0 M lines, memory 62.4 MB',
    )
    expect(progressLine('zh-CN', 3_000_000, mb)).toBe('[程序员晚枫] 已处理 3.0 M 行,内存 62.4 MB')
  })
})
