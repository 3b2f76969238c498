import { Viewer } from "@finetrack/contracts";
import { publicProcedure } from "../../trpc";
import { toViewer } from "./viewer";

/** Who the dashboard is signed in as (never throws, so the UI can decide to show sign-in). */
export const me = publicProcedure.output(Viewer).query(({ ctx }) => toViewer(ctx.authEnabled, ctx.authError ? null : ctx.principal));
