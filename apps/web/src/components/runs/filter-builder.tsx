"use client";
import { useId, useState, type FormEvent } from "react";
import type { RunCondition, RunFilter } from "@finetrack/contracts";
import type { ColumnSpec } from "./run-columns";

type ListField = "status" | "tags" | "baseModel" | "dataset" | "method" | "group";
const LIST_FIELDS: { id: ListField; label: string }[] = [
  { id: "status", label: "Status" },
  { id: "tags", label: "Tags (all of)" },
  { id: "baseModel", label: "Base model" },
  { id: "dataset", label: "Dataset" },
  { id: "method", label: "Method" },
  { id: "group", label: "Group" },
];
const OPS: { id: RunCondition["op"]; label: string }[] = [
  { id: "eq", label: "=" },
  { id: "ne", label: "≠" },
  { id: "lt", label: "<" },
  { id: "lte", label: "≤" },
  { id: "gt", label: ">" },
  { id: "gte", label: "≥" },
  { id: "in", label: "in (comma list)" },
  { id: "exists", label: "exists" },
];
const STATUSES = ["running", "finished", "failed", "crashed", "killed"];

/** Typed value from a text box: numbers and booleans as such, the rest as text. */
function parseValue(text: string): string | number | boolean {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t !== "" && Number.isFinite(Number(t))) return Number(t);
  return t;
}

function splitList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

interface Chip {
  label: string;
  remove: (f: RunFilter) => RunFilter;
}

function chipsOf(filter: RunFilter): Chip[] {
  const chips: Chip[] = [];
  for (const { id, label } of LIST_FIELDS) {
    const values = filter[id];
    if (values?.length) chips.push({ label: `${label}: ${values.join(" | ")}`, remove: (f) => ({ ...f, [id]: undefined }) });
  }
  if (filter.search) chips.push({ label: `name contains "${filter.search}"`, remove: (f) => ({ ...f, search: undefined }) });
  filter.where?.forEach((c, i) => {
    const op = OPS.find((o) => o.id === c.op)?.label ?? c.op;
    const value = c.op === "exists" ? "" : Array.isArray(c.value) ? c.value.join(", ") : String(c.value);
    chips.push({ label: `${c.field} ${op} ${value}`, remove: (f) => ({ ...f, where: f.where?.filter((_, j) => j !== i) }) });
  });
  return chips;
}

export function FilterBuilder({
  filter,
  onChange,
  columns,
  suggestions,
}: {
  filter: RunFilter;
  onChange: (f: RunFilter) => void;
  /** Config, summary and metric columns offered as condition fields. */
  columns: ColumnSpec[];
  suggestions: (field: string) => string[];
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [field, setField] = useState<string>("status");
  const [op, setOp] = useState<RunCondition["op"]>("eq");
  const [value, setValue] = useState("");
  const isList = LIST_FIELDS.some((f) => f.id === field);
  const conditionFields = columns.filter((c) => /^(config|summary|metrics)\./.test(c.id));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (field === "search") onChange({ ...filter, search: value.trim() || undefined });
    else if (isList) {
      const key = field as ListField;
      const values = splitList(value);
      if (!values.length) return;
      onChange({ ...filter, [key]: [...new Set([...(filter[key] ?? []), ...values])] });
    } else {
      const cond: RunCondition =
        op === "exists"
          ? { field, op }
          : op === "in"
            ? { field, op, value: splitList(value).map(parseValue) }
            : { field, op, value: parseValue(value) };
      onChange({ ...filter, where: [...(filter.where ?? []), cond] });
    }
    setValue("");
    setOpen(false);
  };

  const chips = chipsOf(filter);
  const listId = `${id}-values`;
  return (
    <div className="row" style={{ position: "relative" }} data-testid="filter-builder">
      {chips.map((c) => (
        <span className="filter-chip" key={c.label} data-testid="filter-chip">
          {c.label}
          <button type="button" aria-label={`Remove filter ${c.label}`} onClick={() => onChange(c.remove(filter))}>
            ×
          </button>
        </span>
      ))}
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls={`${id}-pop`}>
        + Filter
      </button>
      {chips.length > 0 && (
        <button type="button" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
      {open && (
        <form
          id={`${id}-pop`}
          className="popover stack"
          style={{ top: 32, left: 0 }}
          onSubmit={submit}
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
          aria-label="Add a filter"
        >
          <label>
            Field{" "}
            <select value={field} onChange={(e) => setField(e.target.value)} aria-label="Filter field" autoFocus>
              <optgroup label="Run">
                {LIST_FIELDS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
                <option value="search">Name contains</option>
              </optgroup>
              <optgroup label="Config, summary, metrics">
                {conditionFields.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          {!isList && field !== "search" && (
            <label>
              Operator{" "}
              <select value={op} onChange={(e) => setOp(e.target.value as RunCondition["op"])} aria-label="Filter operator">
                {OPS.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {(isList || field === "search" || op !== "exists") && (
            <label>
              Value{isList ? " (comma-separated)" : ""}{" "}
              <input value={value} onChange={(e) => setValue(e.target.value)} list={listId} aria-label="Filter value" />
              <datalist id={listId}>
                {(field === "status" ? STATUSES : suggestions(field)).slice(0, 200).map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </label>
          )}
          <div className="row">
            <button type="submit" className="primary">
              Apply
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
