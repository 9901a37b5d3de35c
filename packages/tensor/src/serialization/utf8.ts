/** UTF-8 through the platform's TextEncoder/TextDecoder, reached via globalThis so no DOM or Node types are needed. */

interface TextCodecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}
const codecs = globalThis as unknown as TextCodecs;
const encoder = new codecs.TextEncoder();
const strict = new codecs.TextDecoder('utf-8', { fatal: true });
const lenient = new codecs.TextDecoder('utf-8', { fatal: false });

export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8; null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes UTF-8, turning bad bytes into U+FFFD (for names shown in messages, never for data). */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}
