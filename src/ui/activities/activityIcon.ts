/** A glyph per activity type, beside its subject in My work, the timeline and reminders. */
const ICONS: Record<string, string> = { call: '☎', meeting: '⚇', task: '☑', note: '✎', email: '✉' }

export function activityIcon(type: unknown): string {
  return (typeof type === 'string' && ICONS[type]) || '•'
}
