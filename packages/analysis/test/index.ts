// `@finetrack/analysis/testing`: the run sets and curves the package's tests, core's and web's
// tests and bench/analysis.ts share. Test-only, so it lives outside src/.
export * from "./config-sweeps";
export * from "./synthetic-curves";
