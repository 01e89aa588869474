import { LOGO_MAX_LENGTH, LOGO_TYPES, workspaceDetailProblem } from '../../domain/workspace/workspaceDetails'

/** Why a picked file cannot become the workspace's logo; the message names the file and the reason. */
export class LogoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LogoError'
  }
}

/** A printed logo is at most ~80 × 30 mm; this many pixels keep it sharp at 300 dpi and small. */
export const LOGO_MAX_WIDTH = 960
export const LOGO_MAX_HEIGHT = 360

const KB = (n: number) => `${Math.ceil(n / 1024)} KB`

/** Why a file of this name and type is not a logo we take, or null. */
export function logoTypeProblem(name: string, type: string): string | null {
  if ((LOGO_TYPES as readonly string[]).includes(type)) return null
  return `“${name}” is ${type ? `of type ${type}` : 'of an unknown type'}: the logo must be a PNG, JPEG, WebP or SVG image`
}

/** Width and height within LOGO_MAX_WIDTH × LOGO_MAX_HEIGHT, times `scale`, keeping the aspect; never enlarged. */
export function fittedLogoSize(width: number, height: number, scale = 1): { width: number; height: number } {
  const fit = Math.min(1, LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height) * scale
  return { width: Math.max(1, Math.round(width * fit)), height: Math.max(1, Math.round(height * fit)) }
}

/**
 * A picked image as the logo's data: URL (≤ 96 KB). An SVG is kept as it is (it is never run:
 * an <img> shows it without its scripts) and must fit already. A PNG, JPEG or WebP is scaled
 * down to the printed size, then encoded as PNG (keeps transparency) or, if that is too big,
 * as WebP and JPEG at falling quality and smaller sizes, until one fits.
 */
export async function prepareLogo(file: File): Promise<string> {
  const typeProblem = logoTypeProblem(file.name, file.type)
  if (typeProblem) throw new LogoError(typeProblem)
  if (file.type === 'image/svg+xml') {
    const url = await readAsDataUrl(file)
    if (url.length > LOGO_MAX_LENGTH) throw new LogoError(`“${file.name}” is ${KB(url.length)} as a logo; an SVG logo must fit in ${KB(LOGO_MAX_LENGTH)} (save it smaller, or as a PNG)`)
    return checked(file.name, url)
  }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch (error) {
    throw new LogoError(`“${file.name}” could not be read as an image (${(error as Error).message || 'damaged or not what its name says'})`)
  }
  try {
    const unscaled = fittedLogoSize(bitmap.width, bitmap.height)
    if (unscaled.width === bitmap.width && unscaled.height === bitmap.height) {
      // small enough to keep as it was picked
      const url = await readAsDataUrl(file)
      if (url.length <= LOGO_MAX_LENGTH) return checked(file.name, url)
    }
    for (const scale of [1, 0.75, 0.5, 0.35]) {
      const size = fittedLogoSize(bitmap.width, bitmap.height, scale)
      const canvas = document.createElement('canvas')
      canvas.width = size.width
      canvas.height = size.height
      const context = canvas.getContext('2d')
      if (!context) throw new LogoError(`“${file.name}” could not be scaled down: this browser gave no canvas to draw on`)
      context.drawImage(bitmap, 0, 0, size.width, size.height)
      for (const [type, quality] of [['image/png', undefined], ['image/webp', 0.9], ['image/webp', 0.75], ['image/jpeg', 0.85]] as const) {
        const url = canvas.toDataURL(type, quality)
        // a browser that cannot encode a type answers PNG instead
        if (url.startsWith(`data:${type};`) && url.length <= LOGO_MAX_LENGTH) return checked(file.name, url)
      }
    }
    throw new LogoError(`“${file.name}” stays above ${KB(LOGO_MAX_LENGTH)} even scaled down to ${fittedLogoSize(bitmap.width, bitmap.height, 0.35).width} pixels wide: pick a simpler image`)
  } finally {
    bitmap.close()
  }
}

function checked(name: string, url: string): string {
  const problem = workspaceDetailProblem('logo', url)
  if (problem) throw new LogoError(`“${name}”: ${problem}`)
  return url
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new LogoError(`the file could not be read (${reader.error?.message ?? 'unknown error'})`))
    reader.readAsDataURL(file)
  })
}
