import { pathToFileURL } from "node:url";

/** `node --import` this URL to make a child process exit when its parent dies (see exit-with-parent-preload.mjs). */
export const EXIT_WITH_PARENT = pathToFileURL(new URL("./exit-with-parent-preload.mjs", import.meta.url).pathname).href;

/** NODE_OPTIONS for a child that must not outlive us, keeping what the user had set. */
export function nodeOptionsExitingWithParent(existing: string | undefined): string {
  return [existing, `--import=${EXIT_WITH_PARENT}`].filter(Boolean).join(" ");
}
