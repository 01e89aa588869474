import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { cellsToCarry, dropLocalWorkspace, readCarriedCells, readStoredEpoch, saveCarriedCells } from './workspaceEpoch'

const openDb = (name: string) => new Promise<void>((resolve, reject) => {
  const req = indexedDB.open(name, 1)
  req.onsuccess = () => {
    req.result.close()
    resolve()
  }
  req.onerror = () => reject(req.error ?? new Error('open failed'))
})

describe('dropLocalWorkspace', () => {
  it('deletes the IndexedDB databases and localStorage entries of its prefix only', async () => {
    for (const name of ['kanso:schema', 'kanso:entity-contacts', 'kanso:meta', 'other:entity-contacts']) await openDb(name)
    localStorage.setItem('kanso:schema', '{}')
    localStorage.setItem('kanso:epoch', 'old')
    localStorage.setItem('kanso-device', 'd1')
    expect(readStoredEpoch('kanso:')).toBe('old')
    await dropLocalWorkspace('kanso:')
    expect((await indexedDB.databases()).map((d) => d.name).sort()).toEqual(['other:entity-contacts'])
    expect(Object.keys(localStorage)).toEqual(['kanso-device'])
    expect(readStoredEpoch('kanso:')).toBeNull()
  })
})

describe('carried cells', () => {
  it('keeps cells of records the restored workspace has alive, and survives the reload in localStorage until used', () => {
    const cells = [{ recordId: 'kept', fieldId: 'c.name', value: 'Ada' }, { recordId: 'gone', fieldId: 'c.name', value: 'Bob' }]
    expect(cellsToCarry(cells, (id) => id === 'kept')).toEqual([cells[0]])
    saveCarriedCells('kanso:', { contacts: cells })
    expect(readCarriedCells('kanso:')).toEqual({ contacts: cells })
    saveCarriedCells('kanso:', {})
    expect(readCarriedCells('kanso:')).toEqual({})
    expect(localStorage.getItem('kanso:carried')).toBeNull()
  })
})
