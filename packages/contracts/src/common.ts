import { z } from "zod";
export * from "./json-value";
import { DATE_RANGE_MESSAGE, findJsonIssue, isPlainObject, isSafeText, SAFE_TEXT_MESSAGE } from "./json-value";
import {
  MAX_JSON_BYTES,
  MAX_PAGE_ITEMS,
  MAX_TIME_MS,
  MIN_TIME_MS,
  MAX_NAME_LENGTH,
  MAX_RUN_ID_LENGTH,
  MAX_SLUG_LENGTH,
} from "./limits";

/** Any text field: a string without NUL or lone surrogates (PostgreSQL could not store it as sent). */
export function text(error = "expected a string") {
  return z.string({ error }).refine(isSafeText, { error: SAFE_TEXT_MESSAGE });
}

export const ProjectSlug = z
  .string({ error: "expected a project slug (string)" })
  .min(1, { error: "expected a non-empty project slug" })
  .max(MAX_SLUG_LENGTH, { error: `expected at most ${MAX_SLUG_LENGTH} characters` })
  .regex(/^[a-z0-9][a-z0-9_-]*$/, {
    error: "expected lowercase letters, digits, '-' or '_', starting with a letter or digit",
  });
export type ProjectSlug = z.infer<typeof ProjectSlug>;

export const RunId = z
  .string({ error: "expected a run id (string)" })
  .min(1, { error: "expected a non-empty run id" })
  .max(MAX_RUN_ID_LENGTH, { error: `expected at most ${MAX_RUN_ID_LENGTH} characters` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, {
    error: "expected letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
  });
export type RunId = z.infer<typeof RunId>;

/**
 * Beside run ids in an input: run ids are unique per project, so `project` says where to look them
 * up. Optional: an API key looks in its own project, a signed-in user in the projects they can read
 * (naming one is needed only when the id exists in several of them).
 */
export const RunProjectField = {
  project: ProjectSlug.optional().meta({ description: "The run's project (slug): needed only when the run id exists in several projects you can read." }),
};

export const Name = text()
  .trim()
  .min(1, { error: "expected a non-empty name" })
  .max(MAX_NAME_LENGTH, { error: `expected at most ${MAX_NAME_LENGTH} characters` });

export const Id = text("expected an id (string)").min(1).max(64);

/**
 * Paging of a list answered as an array, oldest (or first by name) first: at most `limit` items
 * after `cursor`, the id of the previous page's last item.
 */
export const PageInput = {
  limit: z
    .number({ error: "expected a number of items" })
    .int({ error: "expected a whole number of items" })
    .min(1, { error: "expected at least 1" })
    .max(MAX_PAGE_ITEMS, { error: `expected at most ${MAX_PAGE_ITEMS}` })
    .default(MAX_PAGE_ITEMS),
  cursor: Id.nullish(),
};
export type Page = { limit?: number; cursor?: string | null };

/** Bytes of the JSON text of a value, with non-finite numbers counted as their names. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? "");
}

/**
 * A JSON object (config, summary, system, metadata) bounded in size. Not z.record: zod copies a
 * record key by key, which drops a top-level `__proto__` key; this keeps the object as sent (keys
 * are data) and checks every nested value is storable JSON (see findJsonIssue).
 */
export const JsonObject = z
  .custom<Record<string, unknown>>(isPlainObject, { error: "expected an object" })
  .superRefine((value, ctx) => {
    const issue = findJsonIssue(value);
    if (issue) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    else if (jsonBytes(value) > MAX_JSON_BYTES) ctx.addIssue({ code: "custom", message: `expected at most ${MAX_JSON_BYTES} bytes of JSON` });
  })
  .meta({ override: { type: "object", additionalProperties: {} } });
export type JsonObject = z.infer<typeof JsonObject>;

/** A stored JSON object in an output: passed through as is (no copy, so no key is dropped). */
export const JsonRecord = z
  .custom<Record<string, unknown>>(isPlainObject, { error: "expected an object" })
  .meta({ override: { type: "object", additionalProperties: {} } });

/** A number that may be NaN or ±Infinity (zod's z.number() rejects those). */
export const AnyNumber = z.custom<number>((v) => typeof v === "number", {
  error: "expected a number (NaN and ±Infinity are allowed)",
});

/** Wall time as a Date or as milliseconds since the Unix epoch. */
const TIME_MESSAGE = `expected a Date or milliseconds since the Unix epoch (${DATE_RANGE_MESSAGE.replace("expected ", "")})`;
export const WallTime = z.union(
  [
    z.date({ error: TIME_MESSAGE }).min(new Date(MIN_TIME_MS), { error: TIME_MESSAGE }).max(new Date(MAX_TIME_MS), { error: TIME_MESSAGE }),
    z.number({ error: TIME_MESSAGE }).int({ error: TIME_MESSAGE }).nonnegative({ error: TIME_MESSAGE }).max(MAX_TIME_MS, { error: TIME_MESSAGE }),
  ],
  { error: TIME_MESSAGE },
);
