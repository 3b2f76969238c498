-- Downsampled tiers of metric curves, kept current at ingest so that series reads touch at most
-- a few rows per bucket however long a run grows. Level L groups steps into buckets of 2^L steps
-- (bucket = step >> L) and keeps each bucket's min and max point.

-- CreateTable
CREATE TABLE "MetricTier" (
    "runSeq" INTEGER NOT NULL,
    "keyId" INTEGER NOT NULL,
    "level" SMALLINT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "minStep" INTEGER NOT NULL,
    "minValue" DOUBLE PRECISION NOT NULL,
    "minEpoch" REAL,
    "minTime" TIMESTAMPTZ(3) NOT NULL,
    "maxStep" INTEGER NOT NULL,
    "maxValue" DOUBLE PRECISION NOT NULL,
    "maxEpoch" REAL,
    "maxTime" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MetricTier_pkey" PRIMARY KEY ("runSeq","keyId","level","bucket")
);
