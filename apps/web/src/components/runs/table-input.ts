import type { TableView } from "@/lib/view-state";

/** A column the table reads from the runs' JSON (config, summary, metric statistics); run fields always come. */
const isDataColumn = (id: string) => /^(config|summary|metrics)\./.test(id);

/**
 * The runs table's data request: the visible columns (the server's defaults until the user picks
 * some) and the one grouping reads. Sorting needs nothing more (only a shown column's header
 * sorts), so a click on a header sorts the rows at hand and asks the server nothing. The page
 * preloads this very input, so both build it here: the same object, in the same key order, is the same URL.
 */
export function runsTableInput(project: string, view: TableView) {
  const group = view.group && isDataColumn(view.group) ? view.group : null;
  if (view.columns) {
    const columns = view.columns.filter(isDataColumn);
    return { project, filter: view.filter, columns: group && !columns.includes(group) ? [...columns, group] : columns };
  }
  return { project, filter: view.filter, defaults: true, ...(group ? { columns: [group] } : {}) };
}
