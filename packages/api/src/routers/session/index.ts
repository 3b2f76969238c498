import { router } from "../../trpc";
import { me } from "./me";
import { signIn } from "./sign-in";
import { signOut } from "./sign-out";

export const sessionRouter = router({ signIn, signOut, me });
