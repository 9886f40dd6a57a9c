// English plural forms in message templates: `{name|one|other}` takes the form for the value of
// params[name], `one` for 1 (a number, or the text "1" of an already formatted one). Chinese has
// no plural forms and its templates do not use this.

const FORMS = /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g

export function pluralize(template: string, params: Record<string, string | number>): string {
  return template.replace(FORMS, (m, name: string, one: string, other: string) =>
    Object.prototype.hasOwnProperty.call(params, name)
      ? String(params[name]) === '1'
        ? one
        : other
      : m,
  )
}

/** `1 line`, `2 lines`: an English count and its noun. */
export function countOf(n: string | number, one: string, other: string): string {
  return `${n} ${String(n) === '1' ? one : other}`
}
