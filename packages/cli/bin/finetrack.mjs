#!/usr/bin/env node
// Our packages are TypeScript consumed as source; tsx compiles them on the fly.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
