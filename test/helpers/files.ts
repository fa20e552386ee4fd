/** The first bytes of a PNG image (signature and IHDR chunk header), then `padding` zero bytes: a file of the wrong type. */
export function pngBytes(padding: number): Uint8Array<ArrayBuffer> {
  const header = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
  return new Uint8Array([...header, ...new Array<number>(padding).fill(0)]);
}
