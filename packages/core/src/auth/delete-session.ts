import type { Db } from "@finetrack/db";
import { sha256Hex } from "../shared/secrets";

export async function deleteSession(db: Db, sessionSecret: string): Promise<void> {
  await db.prisma.session.deleteMany({ where: { secretHash: sha256Hex(sessionSecret) } });
}
