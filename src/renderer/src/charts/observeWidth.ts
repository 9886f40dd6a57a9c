// Chart boxes are measured by one shared ResizeObserver, instead of one ResponsiveContainer (an
// extra render pass and an observer of its own) per chart. The first width arrives with the
// observer's first callback, before the next paint and without forcing a layout.

/** Width used where nothing can be observed (jsdom). */
const FALLBACK_WIDTH = 600

const listeners = new Map<Element, (width: number) => void>()
let observer: ResizeObserver | null = null

function sharedObserver(): ResizeObserver | null {
  if (observer || typeof ResizeObserver === 'undefined') return observer
  observer = new ResizeObserver((entries) => {
    for (const e of entries) {
      const w = Math.round(e.contentRect.width)
      // A hidden box (width 0) keeps its last drawing.
      if (w > 0) listeners.get(e.target)?.(w)
    }
  })
  return observer
}

/** Calls `onWidth` with the element's content width now and whenever it changes. */
export function observeWidth(el: Element, onWidth: (width: number) => void): () => void {
  const ro = sharedObserver()
  if (!ro) {
    onWidth(FALLBACK_WIDTH)
    return () => {}
  }
  listeners.set(el, onWidth)
  ro.observe(el)
  return () => {
    ro.unobserve(el)
    listeners.delete(el)
  }
}
