export { connectDb, type Db } from "./connect-db";
export { isDatabaseUnavailable } from "./database-unavailable";
export { migrate, readMigrations, MigrationError, type MigrationFile } from "./migrate";
export { startDatabase, APP_DATABASE, type StartedDatabase } from "./start-database";
export { startEmbeddedPostgres, freePort, type EmbeddedCluster } from "./embedded-postgres";
export { paths as dbPaths } from "./env";
export { PrismaClient, Prisma, RunStatus, ApiKeyScope, ProjectRole } from "./generated/client";
export type { Project, ApiKey, Session, User, Membership, Dataset, Run, MetricKey, MetricPoint, Artifact } from "./generated/client";
