// Keeps the playground's script in the page URL, so a link shares it and a reload keeps it:
// `#code=<base64url of the deflate-raw compressed UTF-8 script>`, plus `&device=cpu|webgpu` when not `auto`.
// The fragment never reaches a server; CompressionStream is in every browser with WebGPU, and in Node.
import type { DeviceChoice } from './protocol.js';

export interface SharedScript {
  readonly source: string;
  readonly choice: DeviceChoice;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The URL fragment (with its `#`) for a script. */
export async function encodeShare({ source, choice }: SharedScript): Promise<string> {
  const code = toBase64Url(await pipe(new TextEncoder().encode(source), new CompressionStream('deflate-raw')));
  return `#code=${code}${choice === 'auto' ? '' : `&device=${choice}`}`;
}

/** The script in a URL fragment, or null when it has none; throws when `code` is there but cannot be read. */
export async function decodeShare(hash: string): Promise<SharedScript | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('code');
  if (!code) return null;
  const source = new TextDecoder().decode(await pipe(fromBase64Url(code), new DecompressionStream('deflate-raw')));
  const device = params.get('device');
  return { source, choice: device === 'cpu' || device === 'webgpu' ? device : 'auto' };
}
