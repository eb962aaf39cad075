/**
 * The one CSV writer for every CSV the project writes (the audit log's download, the import's
 * urls.csv). A field is quoted when needed (RFC 4180), and one that starts with =, +, -, @, a tab
 * or a carriage return is prefixed with ' so a spreadsheet shows the text instead of running it as
 * a formula (CSV injection).
 */
export function csvField(value: unknown): string {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, with its line end. */
export function csvRow(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
