// Page object: the analysis view (progress, KPIs, charts, IP table).
import { expect, type Locator, type Page } from '@playwright/test'

export class AnalysisPage {
  readonly root: Locator
  readonly progress: Locator
  readonly ipTable: Locator
  readonly ipSearch: Locator
  readonly ipRows: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('analysis')
    this.progress = page.getByTestId('progress')
    this.ipTable = page.getByTestId('ip-table')
    this.ipSearch = page.getByTestId('ip-search')
    this.ipRows = this.ipTable.getByTestId('ip-row')
  }

  kpi(id: 'pv' | 'uv' | 'invalid' | 'bandwidth' | 'range' | 'format'): Locator {
    return this.page.getByTestId(`kpi-${id}`)
  }

  async kpiValue(id: 'pv' | 'uv' | 'invalid' | 'bandwidth'): Promise<number> {
    return Number(await this.kpi(id).getAttribute('data-value'))
  }

  async waitForStatus(status: string, timeout = 60_000): Promise<void> {
    await expect(this.root).toHaveAttribute('data-status', status, { timeout })
  }

  chart(id: 'traffic' | 'memory' | 'top-ips'): Locator {
    return this.page.getByTestId(`chart-${id}`)
  }

  /** Points at the middle of a chart and returns its tooltip (recharts draws it on hover). */
  async hoverChart(id: 'traffic' | 'memory' | 'top-ips'): Promise<Locator> {
    await this.chart(id).hover()
    return this.chart(id).locator('.chart-tooltip')
  }

  async topIp(): Promise<string | null> {
    return this.page.getByTestId('chart-top-ips').getAttribute('data-top-ip')
  }

  async search(text: string): Promise<void> {
    await this.ipSearch.fill(text)
  }
}
