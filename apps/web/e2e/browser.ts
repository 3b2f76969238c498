import { chromium, type Browser } from "playwright-core";
import { readE2eEnv } from "./e2e-env";

/** Debian's Chromium (no `playwright install` here), headless and quiet. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: readE2eEnv().CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
