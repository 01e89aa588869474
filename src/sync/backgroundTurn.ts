/**
 * Resolves in a later task of background priority where the browser has the Prioritized Task
 * Scheduling API (Chromium): the page's own work — building the grid, painting, input — goes
 * first. Elsewhere a plain timer task, which still lets the browser paint and take input between.
 */
export function backgroundTurn(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { postTask?: (task: () => void, options: { priority: string }) => Promise<void> } }).scheduler
  if (scheduler?.postTask) return scheduler.postTask(() => undefined, { priority: 'background' })
  return new Promise((resolve) => setTimeout(resolve, 0))
}
