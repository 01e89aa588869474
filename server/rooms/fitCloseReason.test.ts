import { describe, expect, it } from 'vitest'
import { fitCloseReason } from './fitCloseReason'

describe('fitCloseReason', () => {
  it('keeps short reasons and cuts long ones to 123 bytes without splitting a character', () => {
    expect(fitCloseReason('unauthorized')).toBe('unauthorized')
    const cut = fitCloseReason('é'.repeat(100))
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123)
    expect(cut).toBe('é'.repeat(61))
  })
})
