// jsdom ships no types and @types/jsdom is not a dependency: the little the report renderer uses
// (engine code compiles without the DOM library, so elements are described structurally).
declare module 'jsdom' {
  export interface JsdomElement {
    getAttribute(name: string): string | null
    setAttribute(name: string, value: string): void
    removeAttribute(name: string): void
    remove(): void
    querySelectorAll(selector: string): ArrayLike<JsdomElement>
    appendChild(child: JsdomElement): void
    innerHTML: string
  }
  export interface JsdomWindow {
    document: { createElement(tag: string): JsdomElement; body: JsdomElement }
    navigator: unknown
    close(): void
  }
  export class JSDOM {
    constructor(html?: string)
    readonly window: JsdomWindow
  }
}
