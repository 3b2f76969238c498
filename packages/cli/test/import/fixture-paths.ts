import { fileURLToPath } from "node:url";

/** The importer's fixtures (see test/fixtures/import/README.md). */
export const FIXTURES = fileURLToPath(new URL("../fixtures/import/", import.meta.url));
export const REAL = `${FIXTURES}real/`;
export const MADE = `${FIXTURES}made/`;
