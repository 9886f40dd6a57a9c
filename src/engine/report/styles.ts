// The report's stylesheet: one inline <style>, no fonts or images to fetch. Screen: a centred
// page. Print (and PDF): A4, tables that break across pages with their headers repeated, figures
// kept whole, and the lesson's watermark in the bottom-right page margin of every page (CSS page
// margin boxes, so it never sits on top of data). Nothing from the log ever goes into this CSS.
import { WATERMARK_TEXT } from '../../shared/types'

const FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", ' +
  '"Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
  '"WenQuanYi Micro Hei", sans-serif'
const FONT_ZH =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
  '"Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", sans-serif'
const MONO =
  'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", ' +
  '"WenQuanYi Micro Hei Mono", monospace'

/** Watermark colour: low contrast against white, still legible (about 3:1). */
export const WATERMARK_COLOR = '#8a94a0'

export const REPORT_CSS = `
:root {
  --text: #1f2933; --muted: #5b6675; --faint: ${WATERMARK_COLOR}; --line: #e3e8ee;
  --panel: #f7f9fb; --accent: #2563eb;
  color-scheme: light;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f5; color: var(--text); font: 14px/1.5 ${FONT}; }
html[lang="zh-CN"] body { font-family: ${FONT_ZH}; }
.page { max-width: 960px; margin: 24px auto; background: #fff; padding: 32px 40px 20px;
  border-radius: 8px; box-shadow: 0 1px 3px rgba(15, 23, 42, 0.08); }
h1, h2, h3 { margin: 0; line-height: 1.3; }
h1 { font-size: 22px; font-weight: 650; margin: 6px 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 16px; font-weight: 650; padding-top: 14px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; font-weight: 650; }
p { margin: 4px 0; }
.sub, .note, .generated, .empty { color: var(--muted); font-size: 12.5px; }
.note { margin-top: 6px; }

.brand { display: flex; align-items: center; gap: 6px; color: var(--muted); font-size: 12.5px; }
.logo { width: 14px; height: 14px; border-radius: 3px; background: var(--accent); }
.brand-sep { color: var(--faint); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 6px;
  font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }

.partial { margin: 14px 0 4px; padding: 10px 14px; background: #fff7e6;
  border-left: 4px solid #f59e0b; border-radius: 4px; font-size: 13.5px; }
.partial strong { display: block; color: #92400e; }

.section { margin-top: 22px; }
.section > .sub { margin-bottom: 8px; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; margin-top: 12px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fff; }
.kpi-label { color: var(--muted); font-size: 12px; }
.kpi-value { font-size: 19px; font-weight: 650; font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere; line-height: 1.3; margin-top: 2px; }
.kpi[data-kpi="range"] .kpi-value { font-size: 14px; }
.kpi-sub { color: var(--muted); font-size: 12px; }

.figure { margin: 10px 0 0; }
.figure figcaption h3 { margin-bottom: 2px; }
.legend { list-style: none; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px;
  margin: 6px 0 4px; padding: 0; font-size: 12px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend .mark { display: inline-block; width: 16px; }
.legend .mark-line, .legend .mark-dash { height: 0; border-top-width: 2px; }
.legend .mark-bar { height: 10px; width: 10px; border-radius: 2px; }
.legend .legend-credit { margin-left: auto; color: var(--faint); }
.plot svg { display: block; width: 100%; height: auto; overflow: visible; }
.plot svg text { font-family: inherit; font-size: 11.5px; fill: var(--muted); }
.plot .mono-axis text { font-family: ${MONO}; font-size: 11px; }
.plot .bar-label, .plot .bar-label text { font-size: 11px; fill: var(--muted); }
.plot .ref-label, .plot .recharts-reference-line text { fill: #b91c1c; font-size: 11px; }
.wm-row { display: flex; justify-content: flex-end; margin-top: 6px; }
.wm { color: var(--faint); font-size: 12px; letter-spacing: 0.08em; white-space: nowrap; }

table { width: 100%; border-collapse: collapse; margin-top: 10px; font-size: 12.5px; }
caption { text-align: left; color: var(--muted); font-size: 12px; padding-bottom: 4px; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid #cfd6de;
  padding: 4px 8px; white-space: nowrap; }
td { border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top;
  overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
.mono { font-family: ${MONO}; font-size: 12px; overflow-wrap: anywhere; }
/* Addresses and times keep their column wide enough for their words ("break-word", unlike
   "anywhere", does not shrink a column's minimum width); IPv6 breaks after a colon (<wbr>). */
td.whole { overflow-wrap: break-word; }
.tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 9px;
  background: #eef2ff; color: #3730a3; font-size: 11px; font-family: ${FONT}; }
.samples { margin-top: 10px; }
.sample-reason { font-size: 12.5px; font-weight: 600; margin-top: 8px; }
.sample-file { margin-top: 6px; color: var(--muted); font-size: 11.5px; overflow-wrap: anywhere; }
pre.sample { margin: 4px 0; padding: 6px 8px; background: var(--panel); border-radius: 4px;
  font: 11.5px/1.45 ${MONO}; white-space: pre-wrap; word-break: break-all; }

.doc-foot { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px;
  margin-top: 28px; padding-top: 10px; border-top: 1px solid var(--line); }
.foot-text { display: flex; flex-wrap: wrap; gap: 2px 14px; color: var(--muted); font-size: 11.5px; }

/* The dashboard-like view exported as one PNG: two columns, fixed width. */
.variant-view { width: 1280px; max-width: none; margin: 0; border-radius: 0; box-shadow: none;
  padding: 28px 32px 14px; }
.variant-view .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 32px; }
.variant-view .section { min-width: 0; }
/* One chart exported as a PNG. */
.variant-chart { width: 960px; max-width: none; margin: 0; border-radius: 0; box-shadow: none;
  padding: 20px 24px 12px; }
.variant-chart .figure { margin: 0; }
body:has(.variant-view), body:has(.variant-chart) { background: #fff; }

@page {
  size: A4;
  margin: 14mm 12mm 16mm 12mm;
  @bottom-right {
    content: "${WATERMARK_TEXT}";
    font-family: ${FONT_ZH};
    font-size: 8.5pt;
    color: ${WATERMARK_COLOR};
    letter-spacing: 0.08em;
  }
  @bottom-left {
    content: counter(page) " / " counter(pages);
    font-family: ${FONT};
    font-size: 8pt;
    color: ${WATERMARK_COLOR};
  }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; width: auto; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  .figure, .kpi, .partial, pre.sample, tr, .legend { break-inside: avoid; }
  h2, figcaption, .section > .sub { break-after: avoid; }
  thead { display: table-header-group; }
  .doc-foot .wm { display: none; }
  .section { margin-top: 16px; }
}
`
