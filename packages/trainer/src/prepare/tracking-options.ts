import type { InitOptions } from "@finetrack/sdk";

/** Where and how a tracked job logs (the SDK's connection settings). */
export type TrackingOptions = Pick<InitOptions, "url" | "apiKey" | "mode" | "home" | "quiet">;
