/** Limits shared by the API (enforced) and the SDK (respected before sending). */
export const MAX_POINTS_PER_BATCH = 10_000;
export const MAX_METRIC_KEY_LENGTH = 256;
/** Metric steps are stored as int4. */
export const MAX_STEP = 2_147_483_647;
/** Largest HTTP request body the API accepts. 10,000 points with long keys fit well below it. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
/** Largest serialized JSON for config, summary, system and artifact metadata. */
export const MAX_JSON_BYTES = 256 * 1024;
export const MAX_NOTES_LENGTH = 100_000;
export const MAX_TAGS = 64;
export const MAX_TAG_LENGTH = 64;
export const MAX_NAME_LENGTH = 200;
export const MAX_RUN_ID_LENGTH = 64;
export const MAX_SLUG_LENGTH = 64;
export const MAX_SERIES_RUNS = 200;
export const MAX_SERIES_KEYS = 50;
export const MAX_SERIES_POINTS = 20_000;
export const DEFAULT_SERIES_POINTS = 1_000;
export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 50;
