/** `a, b; c` → ['a', 'b', 'c'] without empty parts or repeats. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,;]/).map((part) => part.trim()).filter((part) => part !== ''))]
}
