import { UserCreateInput, UserWithPassword } from "@finetrack/contracts";
import { createUser } from "@finetrack/core";
import { instanceAdminProcedure } from "../../trpc";

/** Without a password, a one-time one is generated and returned in this answer only. */
export const create = instanceAdminProcedure
  .input(UserCreateInput)
  .output(UserWithPassword)
  .mutation(({ ctx, input }) => createUser(ctx.db, input));
