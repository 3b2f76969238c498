import { DatasetFormatError, type DatasetRecord } from "./dataset-record";
import { checkedRecord } from "./parse-jsonl";
import { toDatasetRecord } from "./dataset-record";

/** RFC 4180 CSV with a header row (quoted fields, "" escapes, newlines inside quotes). The header
 *  names the columns with the JSONL field names (instruction,input,output / prompt,completion / text,label / text). */
export function parseCsv(text: string, source = "<csv>"): DatasetRecord[] {
  const rows = splitCsvRows(text, source);
  if (rows.length === 0) throw new DatasetFormatError(source, 1, "expected a header row, the file is empty");
  const header = rows[0].fields.map((h) => h.trim());
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new DatasetFormatError(source, rows[0].line, `expected unique column names, "${dup}" appears twice`);
  const records: DatasetRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.fields.length === 1 && row.fields[0] === "") continue;
    if (row.fields.length !== header.length) {
      throw new DatasetFormatError(source, row.line, `expected ${header.length} fields (${header.join(",")}), found ${row.fields.length}`);
    }
    const obj: Record<string, string> = {};
    header.forEach((h, i) => (obj[h] = row.fields[i]));
    records.push(checkedRecord(toDatasetRecord(obj), records[0], source, row.line));
  }
  if (records.length === 0) throw new DatasetFormatError(source, 2, "expected at least one data row after the header");
  return records;
}

function splitCsvRows(text: string, source: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new DatasetFormatError(source, quoteLine, "expected a closing quote for the field that starts here");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === "\n") line++;
        field += text[i++];
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw new DatasetFormatError(source, line, `expected a comma or end of line after a quoted field, got ${JSON.stringify(next)}`);
      }
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== "" || fields.length > 0) endRow();
  return rows;
}
