export type Decoded = { ok: true; text: string } | { ok: false; offset: number; line: number; byte: number };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly: where a lenient decoder would put U+FFFD (and a later write would
 * save it), this names the first invalid byte, its offset (0-based) and its line (1-based).
 * A leading byte order mark is kept in the text; readers that accept it strip it.
 */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidByte(bytes);
    let line = 1;
    for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
    return { ok: false, offset, line, byte: bytes[offset] ?? 0 };
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const [extra, smallest] =
      lead >= 0xc2 && lead <= 0xdf
        ? [1, 0x80]
        : lead >= 0xe0 && lead <= 0xef
          ? [2, 0x800]
          : lead >= 0xf0 && lead <= 0xf4
            ? [3, 0x10000]
            : [0, 0];
    if (extra === 0) return index;
    let codePoint = lead & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const next = bytes[index + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either
    if (codePoint < smallest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return index;
    index += extra + 1;
  }
  return bytes.length;
}
