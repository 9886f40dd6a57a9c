// Page object: the home screen (drop zone, Open…, sample, history, language and theme).
import type { JSHandle, Locator, Page } from '@playwright/test'

export interface DropFile {
  name: string
  content: Buffer | string
}

/** What the page function below needs from the DOM (this file compiles with Node's types). */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } }
  File: new (parts: unknown[], name: string, opts: { type: string }) => unknown
  atob(s: string): string
}

/**
 * Builds a DataTransfer holding the files inside the page, the way a user's drag from the file
 * manager arrives (Playwright cannot drag OS files itself).
 */
function makeDataTransfer(files: { name: string; type: string; b64: string }[]): unknown {
  const g = globalThis as unknown as PageGlobals
  const dt = new g.DataTransfer()
  for (const f of files) {
    const bin = g.atob(f.b64)
    const bytes = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
    dt.items.add(new g.File([bytes], f.name, { type: f.type }))
  }
  return dt
}

export class HomePage {
  readonly dropzone: Locator
  readonly history: Locator
  readonly language: Locator

  constructor(readonly page: Page) {
    this.dropzone = page.getByTestId('dropzone')
    this.history = page.getByTestId('history')
    this.language = page.getByTestId('language')
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url)
    await this.dropzone.waitFor()
  }

  /** Builds the files inside the page (a long task of its own for big files: not the app's). */
  async prepareDrop(files: DropFile[]): Promise<JSHandle> {
    const payload = files.map((f) => ({
      name: f.name,
      type: '',
      b64: (typeof f.content === 'string' ? Buffer.from(f.content) : f.content).toString('base64'),
    }))
    return this.page.evaluateHandle(makeDataTransfer, payload)
  }

  async dispatchDrop(dt: JSHandle): Promise<void> {
    await this.dropzone.dispatchEvent('dragenter', { dataTransfer: dt })
    await this.dropzone.dispatchEvent('dragover', { dataTransfer: dt })
    await this.dropzone.dispatchEvent('drop', { dataTransfer: dt })
    await dt.dispose()
  }

  async drop(files: DropFile[]): Promise<void> {
    await this.dispatchDrop(await this.prepareDrop(files))
  }

  async setLanguage(locale: 'en' | 'zh-CN'): Promise<void> {
    await this.language.selectOption(locale)
  }

  async setTheme(theme: 'system' | 'light' | 'dark'): Promise<void> {
    await this.page.getByTestId(`theme-${theme}`).click()
    await this.page.locator(`html[data-theme]`).waitFor({ state: 'attached' })
  }

  historyRow(name: string): Locator {
    return this.history.getByTestId('history-row').filter({ hasText: name })
  }

  async openFromHistory(name: string): Promise<void> {
    await this.historyRow(name).first().getByRole('button', { name }).first().click()
  }
}
