import { Prisma } from "@finetrack/db";

export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}
