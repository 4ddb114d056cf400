// Corpus files too big or too binary to commit: built at test time into a temporary folder (listed in
// test/fixtures/corpus/expected.json with "generated": true).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, gzipSync } from 'node:zlib';

const HEADER = 'id,username,email\n';

/** A zip archive with stored (uncompressed) entries, byte for byte as zip tools write it. */
export function zipOf(entries: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export const GENERATED: Record<string, () => Buffer> = {
  'one-mb-cell.csv': () => Buffer.from(`${HEADER},${'y'.repeat(1024 * 1024)},\n501,,\n`),
  'users.xlsx': () =>
    zipOf([
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        ),
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.from(
          '<worksheet><sheetData><row><c t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>',
        ),
      },
    ]),
  'users.zip': () => zipOf([{ name: 'users.csv', data: Buffer.from(`${HEADER}501,,\n`) }]),
  'users.csv.gz': () => gzipSync(Buffer.from(`${HEADER}501,,\n,bob,\n`)),
  // A 60 KB cell in an ignored column, and a line of 200,000 empty trailing cells.
  'very-long-line.csv': () =>
    Buffer.from(`id,username,email,notes\n501,,,${'n'.repeat(60_000)}\n,bob,${','.repeat(200_000)}\n`),
  'very-long-header.csv': () => {
    const extra = Array.from({ length: 30_000 }, (_, i) => `extra${i}`);
    return Buffer.from(`id,username,email,${extra.join(',')}\n501,,\n`);
  },
  'record-over-8mib.csv': () => Buffer.from(`${HEADER},"${'z'.repeat(9 * 1024 * 1024)}",\n501,,\n`),
};

export async function writeGenerated(name: string, dir: string): Promise<string> {
  const build = GENERATED[name];
  if (build === undefined) throw new Error(`no generator for ${name}`);
  const file = path.join(dir, name);
  await writeFile(file, build());
  return file;
}
