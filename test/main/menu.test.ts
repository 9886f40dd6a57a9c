import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from '../../src/main/menu'
import { RECENT_LIMIT, buildMenuTemplate, type MenuActions } from '../../src/main/menu'
import { mainStrings, pickLocale } from '../../src/main/strings'

function actions(log: string[]): MenuActions {
  return {
    open: () => log.push('open'),
    openFolder: () => log.push('openFolder'),
    openRecent: (id) => log.push(`recent:${id}`),
    showAllAnalyses: () => log.push('all'),
    openSample: () => log.push('sample'),
    exportReport: () => log.push('export'),
    toggleLanguage: () => log.push('language'),
    about: () => log.push('about'),
    showLogs: () => log.push('logs'),
  }
}

type Item = MenuItemConstructorOptions
const sub = (i: Item | undefined): Item[] => (i?.submenu as Item[]) ?? []
const find = (items: Item[], label: string): Item | undefined =>
  items.find((i) => i.label === label)
const click = (i: Item | undefined) => (i?.click as unknown as () => void)()

const base = {
  isDev: false,
  locale: 'en' as const,
  recent: [
    { id: 3, name: 'nginx & friends' },
    { id: 2, name: 'access.log' },
  ],
}

describe('application menu', () => {
  it('File has Open, Open Folder, Open Recent, the sample, Export and Quit', () => {
    const log: string[] = []
    const t = buildMenuTemplate({ ...base, platform: 'linux', actions: actions(log) })
    expect(t.map((i) => i.label ?? i.role)).toEqual(['File', 'Edit', 'View', 'Help'])
    const file = sub(t[0])
    const labels = file.filter((i) => i.type !== 'separator').map((i) => i.label)
    expect(labels).toEqual([
      'Open…',
      'Open Folder…',
      'Open Recent',
      'Try with a Sample Log',
      'Export Report…',
      'Quit',
    ])
    expect(find(file, 'Quit')?.role).toBe('quit')
    click(find(file, 'Open…'))
    click(find(file, 'Open Folder…'))
    click(find(file, 'Try with a Sample Log'))
    click(find(file, 'Export Report…'))
    const recent = sub(find(file, 'Open Recent'))
    expect(recent[0]?.label).toBe('nginx && friends')
    click(recent[1])
    click(find(recent, 'All Analyses…'))
    expect(log).toEqual(['open', 'openFolder', 'sample', 'export', 'recent:2', 'all'])
  })

  it('lists at most the recent limit, or says there are none', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `a${i}` }))
    const t = buildMenuTemplate({ ...base, recent: many, platform: 'win32', actions: actions([]) })
    const recent = sub(find(sub(t[0]), 'Open Recent'))
    expect(recent.filter((i) => i.click && i.label !== 'All Analyses…')).toHaveLength(RECENT_LIMIT)
    const none = buildMenuTemplate({ ...base, recent: [], platform: 'win32', actions: actions([]) })
    expect(sub(find(sub(none[0]), 'Open Recent'))[0]).toMatchObject({
      label: 'No recent analyses',
      enabled: false,
    })
  })

  it('offers reload and DevTools only in development', () => {
    const roles = (isDev: boolean) =>
      sub(buildMenuTemplate({ ...base, isDev, platform: 'linux', actions: actions([]) })[2]).map(
        (i) => i.role,
      )
    expect(roles(false)).not.toContain('reload')
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(false)).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    )
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']))
  })

  it('has language switching and About', () => {
    const log: string[] = []
    const t = buildMenuTemplate({ ...base, platform: 'linux', actions: actions(log) })
    click(sub(t[2]).find((i) => i.label?.startsWith('Switch Language')))
    click(find(sub(t[3]), 'About LogLens'))
    click(find(sub(t[3]), 'Show App Logs'))
    expect(log).toEqual(['language', 'about', 'logs'])
  })

  it('follows macOS conventions: app menu with About and Quit, window menu', () => {
    const log: string[] = []
    const t = buildMenuTemplate({ ...base, platform: 'darwin', actions: actions(log) })
    expect(t[0]?.label).toBe('LogLens')
    expect(
      sub(t[0])
        .map((i) => i.role)
        .filter(Boolean),
    ).toContain('quit')
    click(find(sub(t[0]), 'About LogLens'))
    expect(log).toEqual(['about'])
    expect(find(sub(t[1]), 'Quit')).toBeUndefined()
    expect(t.some((i) => i.role === 'windowMenu')).toBe(true)
  })

  it('speaks Chinese', () => {
    const t = buildMenuTemplate({
      ...base,
      locale: 'zh-CN',
      platform: 'linux',
      actions: actions([]),
    })
    expect(t[0]?.label).toBe('文件')
    expect(sub(t[0])[0]?.label).toBe('打开…')
  })
})

describe('strings', () => {
  it('has every sentence in both languages and credits 程序员晚枫', () => {
    const en = mainStrings('en')
    const zh = mainStrings('zh-CN')
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort())
    expect(en.aboutCredit).toContain('程序员晚枫')
    expect(zh.aboutCredit).toContain('程序员晚枫')
  })

  it('picks the locale from the OS preferences', () => {
    expect(pickLocale(['zh-Hans-CN', 'en-US'])).toBe('zh-CN')
    expect(pickLocale(['fr-FR', 'zh-TW'])).toBe('zh-CN')
    expect(pickLocale(['en-GB'])).toBe('en')
    expect(pickLocale(['de-DE'])).toBe('en')
    expect(pickLocale([])).toBe('en')
  })
})

describe('skippedLines', () => {
  it('names each file with a reason in the user language, bounded', async () => {
    const { skippedLines } = await import('../../src/main/strings')
    const sel = {
      files: [],
      skipped: [
        { name: 'cat.png', error: { code: 'NOT_A_LOG' as const, message: 'Not a log' } },
        { name: 'x.log', error: { code: 'DB_LOCKED' as const, message: 'Locked' } },
      ],
    }
    expect(skippedLines(mainStrings('zh-CN'), sel)).toEqual([
      'cat.png: 不是访问日志',
      'x.log: Locked',
    ])
    const many = { files: [], skipped: Array(20).fill(sel.skipped[0]) }
    expect(skippedLines(mainStrings('en'), many, 5)).toHaveLength(6)
  })
})
