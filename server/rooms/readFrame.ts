import * as decoding from 'lib0/decoding'
import { MalformedMessageError } from './malformedMessageError'

/*
 * lib0's readers do not check bounds: a length prefix larger than the message silently reads
 * past its end (into whatever shares the buffer). Every read here checks it stayed inside.
 */

function checkInside(decoder: decoding.Decoder, what: string): void {
  if (decoder.pos > decoder.arr.length) throw new MalformedMessageError(`${what} runs past the end of the message`)
}

export function readUint(decoder: decoding.Decoder, what: string): number {
  if (!decoding.hasContent(decoder)) throw new MalformedMessageError(`missing ${what}`)
  let value: number
  try {
    value = decoding.readVarUint(decoder)
  } catch (error) {
    throw new MalformedMessageError(`bad ${what}: ${(error as Error).message}`)
  }
  checkInside(decoder, what)
  return value
}

export function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readUint(decoder, `${what} length`)
  if (length > decoder.arr.length - decoder.pos) {
    throw new MalformedMessageError(`${what} claims ${length} bytes but only ${decoder.arr.length - decoder.pos} remain`)
  }
  return decoding.readUint8Array(decoder, length)
}

/** A UTF-8 string; with `maxBytes`, a longer one is refused before it is decoded. */
export function readString(decoder: decoding.Decoder, what: string, maxBytes = Infinity): string {
  const bytes = readBytes(decoder, what)
  if (bytes.length > maxBytes) throw new MalformedMessageError(`${what} is ${bytes.length} bytes; at most ${maxBytes}`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new MalformedMessageError(`${what} is not valid UTF-8`)
  }
}

export function expectEnd(decoder: decoding.Decoder, what: string): void {
  if (decoding.hasContent(decoder)) {
    throw new MalformedMessageError(`${decoder.arr.length - decoder.pos} unexpected trailing bytes after ${what}`)
  }
}
