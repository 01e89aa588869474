import type { IncomingMessage } from 'node:http'
import type { Member } from './auth/member'
import type { UpdateOrigin } from './rooms/writeServerUpdate'

export interface AuthenticateContext {
  token: string | null
  documentName: string
  request: IncomingMessage
}

export interface ConnectionContext {
  documentName: string
  member: Member
}

/**
 * Named extension points of the relay (in the spirit of Hocuspocus). All are optional; a hook
 * that throws is logged and does not take the connection down, except onAuthenticate, where
 * a throw refuses the connection.
 */
export interface RelayHooks {
  /**
   * Who is connecting. Return null to refuse (CLOSE_UNAUTHORIZED). Replaces the default token
   * lookup in storage; messages that arrive meanwhile are queued.
   */
  onAuthenticate?(context: AuthenticateContext): Member | null | Promise<Member | null>
  onConnect?(context: ConnectionContext): void
  /**
   * After an update was durably stored and before it is forwarded. `origin`: 'sync' for a
   * connection's update, else the relay's own write and for what (UpdateOrigin), made by `member`.
   */
  afterStoreUpdate?(context: ConnectionContext & { update: Uint8Array; seq: number; origin?: UpdateOrigin }): void
  onDisconnect?(context: ConnectionContext & { code: number; reason: string }): void
}
