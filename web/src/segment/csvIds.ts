/**
 * Contact ids from a CSV file: one id per line, or the first column of each row. A first
 * row whose first cell is "id" is a header and is skipped; blanks and repeats are dropped.
 */
function firstCell(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('"')) {
    // A quoted cell: up to the closing quote, with "" standing for one quote.
    let out = '';
    for (let i = 1; i < trimmed.length; i++) {
      const ch = trimmed[i]!;
      if (ch === '"') {
        if (trimmed[i + 1] === '"') {
          out += '"';
          i++;
        } else break;
      } else out += ch;
    }
    return out.trim();
  }
  return (trimmed.split(/[,;\t]/, 1)[0] ?? '').trim();
}

export function parseIdsCsv(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const cells = lines.map(firstCell);
  if (cells[0]?.toLowerCase() === 'id') cells.shift();
  return [...new Set(cells.filter((c) => c !== ''))];
}
