import { router } from "../../trpc";
import { list } from "./list";
import { me } from "./me";
import { revoke } from "./revoke";
import { signIn } from "./sign-in";
import { signOut } from "./sign-out";
import { signOutEverywhere } from "./sign-out-everywhere";

export const sessionRouter = router({ signIn, signOut, signOutEverywhere, me, list, revoke });
