import { RunFilter } from "@finetrack/contracts";

/** The runs table's view, all of it in the URL so that a link reproduces it. */
export interface TableView {
  filter: RunFilter;
  sort: { field: string; direction: "asc" | "desc" } | null;
  group: string | null;
  /** Visible column ids (RunField texts: `baseModel`, `config.lr`, `metrics.val/loss.min`); null = defaults. */
  columns: string[] | null;
}

export const EMPTY_VIEW: TableView = { filter: {}, sort: null, group: null, columns: null };

function parseFilter(text: string | null): RunFilter {
  if (!text) return {};
  try {
    const parsed = RunFilter.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function readTableView(params: URLSearchParams): TableView {
  const sortText = params.get("sort");
  let sort: TableView["sort"] = null;
  if (sortText) {
    const dir = sortText.startsWith("-") ? "desc" : "asc";
    sort = { field: sortText.replace(/^[-+]/, ""), direction: dir };
  }
  const cols = params.get("cols");
  return {
    filter: parseFilter(params.get("filter")),
    sort,
    group: params.get("group") || null,
    columns: cols ? cols.split(",").filter(Boolean) : null,
  };
}

function isEmptyFilter(f: RunFilter): boolean {
  return Object.values(f).every((v) => v === undefined || (Array.isArray(v) && v.length === 0) || v === "");
}

export function writeTableView(view: TableView): string {
  const params = new URLSearchParams();
  if (!isEmptyFilter(view.filter)) params.set("filter", JSON.stringify(view.filter));
  if (view.sort) params.set("sort", `${view.sort.direction === "desc" ? "-" : ""}${view.sort.field}`);
  if (view.group) params.set("group", view.group);
  if (view.columns) params.set("cols", view.columns.join(","));
  const text = params.toString();
  return text ? `?${text}` : "";
}
