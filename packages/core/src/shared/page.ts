import { MAX_PAGE_ITEMS, type Page } from "@finetrack/contracts";
import { AppError } from "./app-error";

/** At most MAX_PAGE_ITEMS, whatever a caller asks. */
export const pageLimit = (page: Page = {}): number => Math.min(page.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS);

/** A cursor that names no item of this list (forged, or of another list): a 400, never an empty page. */
export function unknownCursor(cursor: string): AppError {
  return new AppError("BAD_REQUEST", `expected the id of the last item of a previous page of this list, got '${cursor}'`, { field: "cursor" });
}
