import { describe, expect, it } from 'vitest'
import { fittedLogoSize, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH, logoTypeProblem, prepareLogo } from './prepareLogo'

const svg = (body: string) => new File([`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">${body}</svg>`], 'logo.svg', { type: 'image/svg+xml' })

describe('logo files', () => {
  it('takes PNG, JPEG, WebP and SVG and names the file and its type otherwise', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml']) expect(logoTypeProblem('a', type)).toBeNull()
    expect(logoTypeProblem('anim.gif', 'image/gif')).toBe('“anim.gif” is of type image/gif: the logo must be a PNG, JPEG, WebP or SVG image')
    expect(logoTypeProblem('notes', '')).toMatch(/“notes” is of an unknown type/)
  })

  it('scales a big image down into the printed box keeping its aspect, and never enlarges a small one', () => {
    expect(fittedLogoSize(4000, 1000)).toEqual({ width: LOGO_MAX_WIDTH, height: 240 })
    expect(fittedLogoSize(1000, 2000)).toEqual({ width: 180, height: LOGO_MAX_HEIGHT })
    expect(fittedLogoSize(200, 80)).toEqual({ width: 200, height: 80 })
    expect(fittedLogoSize(4000, 1000, 0.5)).toEqual({ width: 480, height: 120 })
  })

  it('keeps a small SVG as a base64 data: URL and refuses a big one or another type with a message naming it', async () => {
    const url = await prepareLogo(svg('<rect width="120" height="40" fill="#036"/>'))
    expect(url).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(atob(url.slice(url.indexOf(',') + 1))).toContain('fill="#036"')
    await expect(prepareLogo(svg(`<desc>${'x'.repeat(80 * 1024)}</desc>`))).rejects.toThrow(/“logo.svg” is 1\d\d KB as a logo; an SVG logo must fit in 96 KB/)
    await expect(prepareLogo(new File(['GIF89a'], 'anim.gif', { type: 'image/gif' }))).rejects.toThrow('“anim.gif” is of type image/gif')
  })
})
