import { For, Show, createResource, createSignal } from 'solid-js'
import type { Role } from '../sync/workspaceSession'
import type { MemberInfo, RelayApi } from './session/relayApi'

/** Admins invite teammates (one link each) and revoke access. */
export function MembersView(props: { api: RelayApi; selfId: string; onChange: () => void }) {
  const [list, { refetch }] = createResource(() => props.api.members())
  const [name, setName] = createSignal('')
  const [role, setRole] = createSignal<Role>('editor')
  const [invite, setInvite] = createSignal<{ name: string; link: string } | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)

  const add = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const res = await props.api.invite(name().trim(), role())
      setInvite({ name: res.member.name, link: res.link })
      setName('')
      await refetch()
      props.onChange()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const revoke = async (m: MemberInfo) => {
    if (!confirm(`Revoke ${m.name}'s access? Their open sessions close at once.`)) return
    try {
      await props.api.revoke(m.id)
      await refetch()
      props.onChange()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <section class="kanso-members">
      <form class="kanso-invite" onSubmit={add}>
        <h2>Invite a teammate</h2>
        <label>Name<input value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={80} placeholder="e.g. Maria Lopez" /></label>
        <label>Role
          <select value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="editor">Editor — edits records</option>
            <option value="viewer">Viewer — reads only</option>
            <option value="admin">Admin — also manages members</option>
          </select>
        </label>
        <button type="submit" class="kanso-primary" disabled={busy()}>Create invite link</button>
        <Show when={error()}><p class="kanso-form-error" role="alert">{error()}</p></Show>
        <Show when={invite()}>
          {(i) => (
            <div class="kanso-invite-link">
              <p>Send this link to {i().name}. It is shown only once; it works like a password.</p>
              <input readOnly value={i().link} onFocus={(e) => e.currentTarget.select()} aria-label="Invite link" />
              <button type="button" onClick={() => void navigator.clipboard?.writeText(i().link)}>Copy</button>
            </div>
          )}
        </Show>
      </form>
      <table class="kanso-table">
        <thead><tr><th>Name</th><th>Role</th><th>Added</th><th>Access</th><th /></tr></thead>
        <tbody>
          <For each={list() ?? []}>
            {(m) => (
              <tr classList={{ revoked: !!m.revokedAt }}>
                <td>{m.name}</td>
                <td data-label="Role">{m.role}</td>
                <td data-label="Added">{m.createdAt ? new Date(m.createdAt).toLocaleDateString() : ''}</td>
                <td data-label="Access">{m.revokedAt ? `revoked ${new Date(m.revokedAt).toLocaleDateString()}` : 'active'}</td>
                <td><Show when={!m.revokedAt && m.id !== props.selfId}><button type="button" class="kanso-danger" onClick={() => void revoke(m)}>Revoke</button></Show></td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  )
}
