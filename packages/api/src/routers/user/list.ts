import { User } from "@finetrack/contracts";
import { listUsers } from "@finetrack/core";
import { z } from "zod";
import { instanceAdminProcedure } from "../../trpc";

export const list = instanceAdminProcedure.output(z.array(User)).query(({ ctx }) => listUsers(ctx.db));
