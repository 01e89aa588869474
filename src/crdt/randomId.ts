import { customAlphabet } from 'nanoid'

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Random ids for records and custom fields (62^n space; 12 chars ≈ 71 bits). */
export const randomId: (size?: number) => string = customAlphabet(alphabet, 12)
