// The CLI's own sentences: the language a command line asks for, and the usage in both languages.
import { describe, expect, it } from 'vitest'
import { cliMessages, langOfArgs } from '../../src/cli/messages'
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
})
