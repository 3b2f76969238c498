import { UserResetPasswordInput, UserWithPassword } from "@finetrack/contracts";
import { resetPassword as reset } from "@finetrack/core";
import { instanceAdminProcedure } from "../../trpc";

/** A new password (generated unless given, returned once); the user's sessions end. */
export const resetPassword = instanceAdminProcedure
  .input(UserResetPasswordInput)
  .output(UserWithPassword)
  .mutation(({ ctx, input }) => reset(ctx.db, input));
