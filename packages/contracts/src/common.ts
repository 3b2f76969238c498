import { z } from "zod";
import {
  MAX_JSON_BYTES,
  MAX_NAME_LENGTH,
  MAX_RUN_ID_LENGTH,
  MAX_SLUG_LENGTH,
} from "./limits";

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

export const Name = z
  .string({ error: "expected a string" })
  .trim()
  .min(1, { error: "expected a non-empty name" })
  .max(MAX_NAME_LENGTH, { error: `expected at most ${MAX_NAME_LENGTH} characters` });

export const Id = z.string({ error: "expected an id (string)" }).min(1).max(64);

/** Bytes of the JSON text of a value, with non-finite numbers counted as their names. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? "");
}

/** A JSON object (config, summary, system, metadata) bounded in size. */
export const JsonObject = z
  .record(z.string(), z.unknown(), { error: "expected an object" })
  .refine((v) => jsonBytes(v) <= MAX_JSON_BYTES, {
    error: `expected at most ${MAX_JSON_BYTES} bytes of JSON`,
  });
export type JsonObject = z.infer<typeof JsonObject>;

/** A number that may be NaN or ±Infinity (zod's z.number() rejects those). */
export const AnyNumber = z.custom<number>((v) => typeof v === "number", {
  error: "expected a number (NaN and ±Infinity are allowed)",
});

/** Wall time as a Date or as milliseconds since the Unix epoch. */
export const WallTime = z.union([z.date(), z.number().int().nonnegative()], {
  error: "expected a Date or milliseconds since the Unix epoch",
});
