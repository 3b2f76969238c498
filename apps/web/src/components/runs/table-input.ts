import type { TableView } from "@/lib/view-state";

/** A column the table reads from the runs' JSON (config, summary, metric statistics); run fields always come. */
const isDataColumn = (id: string) => /^(config|summary|metrics)\./.test(id);

/**
 * The runs table's data request: the visible columns (the server's defaults until the user picks
 * some) and the ones the sort and the grouping read. The page preloads this very input, so both
 * build it here: the same object, in the same key order, is the same URL.
 */
export function runsTableInput(project: string, view: TableView) {
  const needed = [view.sort?.field, view.group].filter((id): id is string => !!id && isDataColumn(id));
  if (view.columns) return { project, filter: view.filter, columns: [...new Set([...view.columns.filter(isDataColumn), ...needed])] };
  return { project, filter: view.filter, defaults: true, ...(needed.length ? { columns: [...new Set(needed)] } : {}) };
}
