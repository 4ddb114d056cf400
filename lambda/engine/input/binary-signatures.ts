// Recognising files that are not text at all, so the user is told what they uploaded instead of "no known columns".

interface Signature {
  bytes: readonly number[];
  looksLike: string;
}

const SIGNATURES: readonly Signature[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], looksLike: 'an Excel (.xlsx), OpenDocument or zip file; export it as CSV' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], looksLike: 'an empty zip file; upload a CSV file' },
  { bytes: [0x50, 0x4b, 0x07, 0x08], looksLike: 'a zip file; upload a CSV file' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    looksLike: 'an old Excel (.xls) or other Office file; export it as CSV',
  },
  { bytes: [0x1f, 0x8b], looksLike: 'a gzip-compressed file; decompress it and upload the CSV' },
  { bytes: [0x42, 0x5a, 0x68], looksLike: 'a bzip2-compressed file; decompress it and upload the CSV' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], looksLike: 'an xz-compressed file; decompress it and upload the CSV' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], looksLike: 'a zstd-compressed file; decompress it and upload the CSV' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], looksLike: 'a 7-Zip archive; upload a CSV file' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], looksLike: 'a RAR archive; upload a CSV file' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], looksLike: 'a PDF document; upload a CSV file' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], looksLike: 'a PNG image; upload a CSV file' },
  { bytes: [0xff, 0xd8, 0xff], looksLike: 'a JPEG image; upload a CSV file' },
  { bytes: [0x47, 0x49, 0x46, 0x38], looksLike: 'a GIF image; upload a CSV file' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], looksLike: 'an executable (ELF) file; upload a CSV file' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], looksLike: 'a UTF-32 text file; save it as UTF-8 CSV' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], looksLike: 'a UTF-32 text file; save it as UTF-8 CSV' },
];

/** What the first bytes look like when they are a known non-CSV format, else undefined. */
export function recognisedBinaryFormat(head: Uint8Array): string | undefined {
  for (const signature of SIGNATURES) {
    if (head.length >= signature.bytes.length && signature.bytes.every((byte, index) => head[index] === byte)) {
      return signature.looksLike;
    }
  }
  return undefined;
}

/** Why bytes without a BOM cannot be text (NUL bytes, many control bytes), else undefined. */
export function binaryContentReason(head: Uint8Array): string | undefined {
  let nulAtEven = 0;
  let nulAtOdd = 0;
  let controls = 0;
  for (let index = 0; index < head.length; index++) {
    const byte = head[index]!;
    if (byte === 0) {
      if (index % 2 === 0) nulAtEven++;
      else nulAtOdd++;
    } else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) {
      controls++;
    }
  }
  const nuls = nulAtEven + nulAtOdd;
  if (nuls > 0) {
    const halves = head.length / 2;
    if (
      halves >= 2 &&
      (nulAtOdd >= halves * 0.4 || nulAtEven >= halves * 0.4) &&
      Math.min(nulAtEven, nulAtOdd) <= nuls * 0.1
    ) {
      return 'looks like UTF-16 text without a byte-order mark; save it as UTF-8 CSV';
    }
    return 'contains NUL bytes: it looks like a binary file, not a CSV';
  }
  if (head.length >= 16 && controls > head.length * 0.05) {
    return 'contains many control bytes: it looks like a binary file, not a CSV';
  }
  return undefined;
}
