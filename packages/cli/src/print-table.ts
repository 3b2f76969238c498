/** Aligned columns for humans; commands offer --json for scripts. */
export function printTable(header: string[], rows: string[][], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  write(`${[line(header), ...rows.map(line)].join("\n")}\n`);
}
