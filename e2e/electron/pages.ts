// Page object for the LogLens window (selectors from the renderer's data-testids in one place).
import type { ElectronApplication, Locator, Page } from '@playwright/test'

export class LogLensWindow {
  constructor(
    readonly app: ElectronApplication,
    readonly page: Page,
  ) {}

  get dropzone(): Locator {
    return this.page.getByTestId('dropzone')
  }
  get openFilesButton(): Locator {
    return this.page.getByTestId('open-files')
  }
  get openSampleButton(): Locator {
    return this.page.getByTestId('open-sample')
  }
  get outcome(): Locator {
    return this.page.getByTestId('outcome')
  }
  get retryButton(): Locator {
    return this.page.getByTestId('retry')
  }
  analysis(status?: string): Locator {
    const a = this.page.getByTestId('analysis')
    return status ? a.and(this.page.locator(`[data-status="${status}"]`)) : a
  }
  kpi(id: 'pv' | 'uv' | 'invalid' | 'bandwidth' | 'range' | 'format'): Locator {
    return this.page.getByTestId(`kpi-${id}`)
  }

  /** Make the next native Open dialog answer with these paths (main process stub). */
  async answerOpenDialogWith(paths: string[]): Promise<void> {
    await this.app.evaluate(({ dialog }, chosen) => {
      dialog.showOpenDialog = (async () => ({
        canceled: false,
        filePaths: chosen,
      })) as unknown as typeof dialog.showOpenDialog
    }, paths)
  }

  /** Make native message boxes answer with this button index (quit confirmation, notices). */
  async answerMessageBoxWith(response: number): Promise<void> {
    await this.app.evaluate(({ dialog }, r) => {
      dialog.showMessageBox = (async () => ({
        response: r,
        checkboxChecked: false,
      })) as unknown as typeof dialog.showMessageBox
    }, response)
  }

  /**
   * Drop files on the window the way the OS does: File objects backed by files on disk (set
   * through a file input Playwright controls), delivered in a drop event.
   */
  async dropFiles(paths: string[]): Promise<void> {
    await this.page.evaluate(() => {
      const input = document.createElement('input')
      input.type = 'file'
      input.multiple = true
      input.id = 'e2e-drop-source'
      input.style.display = 'none'
      document.body.append(input)
    })
    await this.page.locator('#e2e-drop-source').setInputFiles(paths)
    await this.page.evaluate(() => {
      const input = document.getElementById('e2e-drop-source') as HTMLInputElement
      const dt = new DataTransfer()
      for (const f of Array.from(input.files ?? [])) dt.items.add(f)
      input.remove()
      const target = document.querySelector('[data-testid="dropzone"]') ?? document.body
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(
          new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
        )
    })
  }

  /** Pid of the running aggregator utility process, or null. */
  aggregatorPid(): Promise<number | null> {
    return this.app.evaluate(
      ({ app }) =>
        app
          .getAppMetrics()
          .find((m) => m.type === 'Utility' && m.serviceName === 'loglens-aggregator')?.pid ?? null,
    )
  }
}
