import { describe, expect, it } from "vitest";
import { DatasetFormatError } from "./dataset-record";
import { hashDataset } from "./hash-dataset";
import { parseCsv } from "./parse-csv";
import { parseJsonl } from "./parse-jsonl";

describe("parseJsonl", () => {
  it("reads the four record shapes", () => {
    expect(parseJsonl('{"instruction":"add","input":"1+2","output":"3"}\n\n{"instruction":"hi","output":"yo"}')).toEqual([
      { kind: "instruction", instruction: "add", input: "1+2", output: "3" },
      { kind: "instruction", instruction: "hi", input: "", output: "yo" },
    ]);
    expect(parseJsonl('{"prompt":"a","completion":"b"}')).toEqual([{ kind: "completion", prompt: "a", completion: "b" }]);
    expect(parseJsonl('{"text":"hello world","label":1}')).toEqual([{ kind: "classification", text: "hello world", label: "1" }]);
    expect(parseJsonl('{"text":"hello world"}\r\n{"text":"again"}\r\n')).toEqual([
      { kind: "text", text: "hello world" },
      { kind: "text", text: "again" },
    ]);
  });

  it("names the line and what was expected", () => {
    const bad = (text: string) => {
      try {
        parseJsonl(text, "d.jsonl");
      } catch (err) {
        expect(err).toBeInstanceOf(DatasetFormatError);
        return (err as Error).message;
      }
      throw new Error("expected a DatasetFormatError");
    };
    expect(bad('{"text":"a"}\n{"text": "b"\n')).toMatch(/^d\.jsonl line 2: expected one JSON object per line/);
    expect(bad('{"text":"a"}\n\n[1,2]')).toBe("d.jsonl line 3: expected a JSON object, got an array");
    expect(bad('{"instruction":"x"}')).toBe('d.jsonl line 1: expected an "output" string next to "instruction"');
    expect(bad('{"prompt":"x"}')).toBe('d.jsonl line 1: expected a "completion" string next to "prompt"');
    expect(bad('{"text":{"a":1}}')).toMatch(/line 1: field "text" must be a string/);
    expect(bad('{"question":"q","answer":"a"}')).toMatch(/line 1: expected an object with "instruction" and "output".*got fields "question", "answer"/);
    expect(bad('{"text":"a"}\n{"prompt":"p","completion":"c"}')).toBe("d.jsonl line 2: expected a text record like the first one, got a completion record");
    expect(bad("\n\n")).toMatch(/line 1: expected at least one record/);
  });
});

describe("parseCsv", () => {
  it("handles quotes, escaped quotes, embedded newlines and CRLF", () => {
    const csv = 'instruction,input,output\r\nadd,"1,2","3"\r\n"say ""hi""","",\"line one\nline two\"\r\n';
    expect(parseCsv(csv)).toEqual([
      { kind: "instruction", instruction: "add", input: "1,2", output: "3" },
      { kind: "instruction", instruction: 'say "hi"', input: "", output: "line one\nline two" },
    ]);
  });

  it("hashes the same content from CSV and JSONL identically", () => {
    const a = parseCsv("text,label\nhello,pos\nbad day,neg\n");
    const b = parseJsonl('{"label":"pos","text":"hello"}\n  {"text":"bad day","label":"neg"}');
    expect(hashDataset(a)).toBe(hashDataset(b));
    expect(hashDataset(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashDataset(a.slice().reverse())).not.toBe(hashDataset(a));
  });

  it("names the line and what was expected", () => {
    expect(() => parseCsv("text,label\nok,1\nmissing\n", "d.csv")).toThrow("d.csv line 3: expected 2 fields (text,label), found 1");
    expect(() => parseCsv('text,label\nok,1\n"never closed,2\n', "d.csv")).toThrow("d.csv line 3: expected a closing quote");
    expect(() => parseCsv('text,label\n"a"b,1\n', "d.csv")).toThrow('d.csv line 2: expected a comma or end of line after a quoted field, got "b"');
    expect(() => parseCsv("foo,bar\n1,2\n", "d.csv")).toThrow(/d\.csv line 2: expected an object with "instruction"/);
    expect(() => parseCsv("text,text\n1,2\n", "d.csv")).toThrow('d.csv line 1: expected unique column names, "text" appears twice');
    expect(() => parseCsv("text,label\n", "d.csv")).toThrow("d.csv line 2: expected at least one data row");
  });
});
