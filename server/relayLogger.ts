/** Where the relay writes its log lines; tests pass a collecting logger. */
export interface RelayLogger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export const consoleLogger: RelayLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
}

export const silentLogger: RelayLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
}
