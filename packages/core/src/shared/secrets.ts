import { createHash, randomBytes } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `ft_<8 visible chars>_<43 secret chars>`; the first part is the listed, non-secret prefix. */
export function newApiKeySecret(): { prefix: string; secret: string } {
  const prefix = `ft_${randomBytes(6).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x").slice(0, 8)}`;
  return { prefix, secret: `${prefix}_${randomBytes(32).toString("base64url")}` };
}

export function newSessionSecret(): string {
  return `fts_${randomBytes(32).toString("base64url")}`;
}

export function newRunId(): string {
  return randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
}
