const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42a5b3', '#f032e6', '#9a6324', '#808000', '#000075']

/** A stable colour per member id, so a teammate looks the same on every screen. */
export function memberColor(memberId: string): string {
  let h = 0
  for (let i = 0; i < memberId.length; i++) h = (h * 31 + memberId.charCodeAt(i)) >>> 0
  return PALETTE[h % PALETTE.length]!
}
