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
/**
 * Items per page of project.list, key.list and artifact.list, and their default: they answer an
 * array, and a page of `limit` items means there may be more (pass the last id as `cursor`).
 */
export const MAX_PAGE_ITEMS = 1_000;
/** Distinct metric keys one run may have; a batch that would pass it is refused (its new keys named). */
export const MAX_METRIC_KEYS_PER_RUN = 10_000;
/** Metric statistics a Run carries (run.get, run.list): the first keys by name; the rest via metric.keys / metric.points. */
export const MAX_RUN_METRIC_STATS = 1_000;
/** The same for each run of a run.list page (up to MAX_LIST_LIMIT runs). */
export const MAX_LIST_METRIC_STATS = 100;
/** Calls in one batched tRPC request (`?batch=1`). */
export const MAX_BATCH_CALLS = 50;
/** Nesting of config, summary, system and metadata JSON. */
export const MAX_JSON_DEPTH = 64;
/** Epochs are stored as float4 (real): its largest finite value. */
export const MAX_EPOCH = 3.4028234663852886e38;
/** Wall times PostgreSQL's timestamptz and JavaScript's Date both hold, kept to years 0001–9999. */
export const MIN_TIME_MS = -62_135_596_800_000;
export const MAX_TIME_MS = 253_402_300_799_999;
export const DEFAULT_LIST_LIMIT = 50;
