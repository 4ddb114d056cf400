// Reads the cells of the first sheet of a flat OpenDocument spreadsheet (.fods): what LibreOffice made of a CSV.

export interface SheetCell {
  text: string;
  /** The formula LibreOffice would calculate (`of:=…`), when the cell has one. */
  formula?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    if (entity[0] === '#') {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      return String.fromCodePoint(Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return ENTITIES[entity] as string;
  });
}

function paragraphText(xml: string): string {
  const paragraphs = [...xml.matchAll(/<text:p[^>]*>([\s\S]*?)<\/text:p>/g)].map(([, inner]) =>
    decodeXml(
      (inner ?? '')
        .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, count?: string) => ' '.repeat(Number(count ?? 1)))
        .replace(/<text:tab\/>/g, '\t')
        .replace(/<text:line-break\/>/g, '\n')
        .replace(/<[^>]+>/g, ''),
    ),
  );
  return paragraphs.join('\n');
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`${name}="([^"]*)"`).exec(attributes);
  return match?.[1] === undefined ? undefined : decodeXml(match[1]);
}

/** Rows of cells, trailing empty cells dropped. */
export function sheetRows(fods: string): SheetCell[][] {
  const table = /<table:table [^>]*>([\s\S]*?)<\/table:table>/.exec(fods)?.[1] ?? '';
  const rows: SheetCell[][] = [];
  for (const [, rowXml] of table.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const cells: SheetCell[] = [];
    const cellPattern = /<table:(?:covered-)?table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g;
    for (const [, attributes = '', inner = ''] of (rowXml ?? '').matchAll(cellPattern)) {
      const repeat = Number(attribute(attributes, 'table:number-columns-repeated') ?? 1);
      const formula = attribute(attributes, 'table:formula');
      const cell: SheetCell =
        formula === undefined ? { text: paragraphText(inner) } : { text: paragraphText(inner), formula };
      for (let i = 0; i < Math.min(repeat, 64); i += 1) cells.push(cell);
    }
    while (cells.length > 0 && cells.at(-1)?.text === '' && cells.at(-1)?.formula === undefined) cells.pop();
    rows.push(cells);
  }
  while (rows.length > 0 && rows.at(-1)?.length === 0) rows.pop();
  return rows;
}
