-- Users, project roles, user-owned API keys and password sessions (issue 12).

-- CreateEnum
CREATE TYPE "ProjectRole" AS ENUM ('viewer', 'editor', 'owner');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "passwordHash" VARCHAR(256),
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "userId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "role" "ProjectRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId","projectId")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Membership_projectId_idx" ON "Membership"("projectId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keys made before users existed belong to an instance admin without a password; the next
-- `finetrack server` start sets one and prints it (see bootstrapLocal).
INSERT INTO "User" ("id", "username", "isAdmin", "updatedAt")
SELECT 'migrated-admin', 'admin', true, CURRENT_TIMESTAMP WHERE EXISTS (SELECT 1 FROM "ApiKey");

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "userId" TEXT, ADD COLUMN "expiresAt" TIMESTAMPTZ(3);
UPDATE "ApiKey" SET "userId" = 'migrated-admin';
ALTER TABLE "ApiKey" ALTER COLUMN "userId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "ApiKey_userId_idx" ON "ApiKey"("userId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: sessions belong to a user; one opened with an API key keeps its key.
ALTER TABLE "Session" ADD COLUMN "userId" TEXT,
    ADD COLUMN "previousSecretHash" CHAR(64),
    ADD COLUMN "rotatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "userAgent" VARCHAR(300) NOT NULL DEFAULT '',
    ADD COLUMN "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ALTER COLUMN "apiKeyId" DROP NOT NULL;
UPDATE "Session" SET "userId" = 'migrated-admin';
ALTER TABLE "Session" ALTER COLUMN "userId" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Session_previousSecretHash_key" ON "Session"("previousSecretHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
