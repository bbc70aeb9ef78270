/** Reads CSV back as RFC 4180 has it (quoted fields, doubled quotes, newlines inside quotes): for checking exports, not for the product. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') (field += '"'), (index += 1);
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += char;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/**
 * A CSV download's text: its bytes must start with the UTF-8 byte order mark (without it Excel on
 * Windows reads the file as ANSI), which is then dropped. `Response.text()` would drop it unseen.
 */
export async function csvDownload(response: Response): Promise<string> {
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) throw new Error(`a CSV download must start with the UTF-8 byte order mark; it starts ${JSON.stringify(bytes.subarray(0, 12).toString('utf8'))}`);
  return bytes.subarray(3).toString('utf8');
}
