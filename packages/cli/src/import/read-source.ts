import { formatBytes } from "@finetrack/contracts";
import { readFileSync } from "node:fs";
import { SourceError } from "./types";

const LFS_HEADER = "version https://git-lfs.github.com/spec/v1";

/**
 * A Git LFS pointer (a clone without `git lfs pull`) is a 130-byte text file in place of the real
 * one; reading it as JSON or TFRecord would give a baffling error, so it gets its own.
 */
export function assertNotLfsPointer(file: string, bytes: Buffer): void {
  if (bytes.length > 1024 || !bytes.subarray(0, LFS_HEADER.length).equals(Buffer.from(LFS_HEADER))) return;
  const text = bytes.toString("utf8");
  const oid = /^oid (\S+)/m.exec(text)?.[1] ?? "unknown oid";
  const size = Number(/^size (\d+)/m.exec(text)?.[1]);
  const sizeText = Number.isFinite(size) ? `, ${formatBytes(size)}` : "";
  throw new SourceError(file, `a Git LFS pointer (${oid}${sizeText}), not the file itself; run \`git lfs pull\` in its repository and import again`);
}

export function readBytes(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new SourceError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  assertNotLfsPointer(file, bytes);
  return bytes;
}

export function readText(file: string): string {
  return readBytes(file).toString("utf8");
}
