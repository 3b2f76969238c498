-- Sweeps on a job queue (issue 15): a sweep, its trials and the agents that run them. The queue
-- itself is pg-boss's (schema "pgboss", installed by pg-boss at server start); these tables keep
-- what the dashboard shows and what makes a trial finish once: its state, attempt, agent,
-- heartbeat, run and errors.

-- CreateTable
CREATE TABLE "Sweep" (
    "id" VARCHAR(64) NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "group" VARCHAR(200) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'running',
    "config" JSONB NOT NULL DEFAULT '{}',
    "trialCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" VARCHAR(64) NOT NULL,
    "sweepId" VARCHAR(64) NOT NULL,
    "index" INTEGER NOT NULL,
    "assignment" JSONB NOT NULL DEFAULT '{}',
    "state" VARCHAR(16) NOT NULL DEFAULT 'queued',
    "jobId" UUID,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "agentId" VARCHAR(64),
    "runId" VARCHAR(64),
    "runIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "objective" DOUBLE PRECISION,
    "stopReason" TEXT,
    "error" TEXT,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "heartbeatAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" VARCHAR(64) NOT NULL,
    "sweepId" VARCHAR(64) NOT NULL,
    "host" VARCHAR(200) NOT NULL,
    "pid" INTEGER,
    "concurrency" INTEGER NOT NULL DEFAULT 1,
    "trialsDone" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Sweep_projectId_createdAt_idx" ON "Sweep"("projectId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Trial_sweepId_index_key" ON "Trial"("sweepId", "index");

-- CreateIndex
CREATE INDEX "Trial_state_heartbeatAt_idx" ON "Trial"("state", "heartbeatAt");

-- CreateIndex
CREATE INDEX "Agent_sweepId_idx" ON "Agent"("sweepId");

-- AddForeignKey
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Trial" ADD CONSTRAINT "Trial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;
