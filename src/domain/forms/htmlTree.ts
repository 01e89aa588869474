/*
 * A tiny tree of HTML elements rendered with every text and attribute escaped: the hosted form
 * page and the HTML a site pastes are built as data, never as markup glued from strings.
 */
export interface HtmlElement {
  tag: string
  attrs: Record<string, string | boolean | undefined>
  children: HtmlNode[]
}
export type HtmlNode = HtmlElement | string

export function h(tag: string, attrs: HtmlElement['attrs'] = {}, ...children: (HtmlNode | null | false | HtmlNode[])[]): HtmlElement {
  return { tag, attrs, children: children.flat().filter((c): c is HtmlNode => c !== null && c !== false) }
}

const VOID = new Set(['input', 'meta', 'link', 'br', 'hr', 'img'])
/** Elements whose content a browser keeps as typed: no indentation inside them. */
const INLINE_CONTENT = new Set(['textarea', 'option', 'label', 'span', 'p', 'h1', 'button', 'title', 'li', 'a', 'strong'])

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as Record<string, string>)[c]};`)
}

function openTag(el: HtmlElement): string {
  const attrs = Object.entries(el.attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(String(v))}"`))
    .join('')
  return `<${el.tag}${attrs}>`
}

/** The node as HTML; `indent` (spaces per level) lays block elements out on lines, for people to read and paste. */
export function renderHtml(node: HtmlNode, indent = 0, depth = 0): string {
  if (typeof node === 'string') return escapeHtml(node)
  if (VOID.has(node.tag)) return openTag(node)
  const flat = indent === 0 || INLINE_CONTENT.has(node.tag) || node.children.every((c) => typeof c === 'string')
  if (flat) return `${openTag(node)}${node.children.map((c) => renderHtml(c, 0)).join('')}</${node.tag}>`
  const pad = (d: number) => `\n${' '.repeat(indent * d)}`
  return `${openTag(node)}${node.children.map((c) => pad(depth + 1) + renderHtml(c, indent, depth + 1)).join('')}${pad(depth)}</${node.tag}>`
}
