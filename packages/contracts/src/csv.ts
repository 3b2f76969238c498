/** One CSV cell, the same in the dashboard's and the CLI's exports: dates as ISO 8601, objects as
 *  JSON, quoted when needed; a string starting with = + - @ (or a tab / CR) gets a leading quote so
 *  a spreadsheet never runs it as a formula (OWASP's CSV-injection advice). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
