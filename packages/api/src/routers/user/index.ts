import { router } from "../../trpc";
import { create } from "./create";
import { list } from "./list";
import { resetPassword } from "./reset-password";
import { setDisabled } from "./set-disabled";

export const userRouter = router({ create, list, setDisabled, resetPassword });
