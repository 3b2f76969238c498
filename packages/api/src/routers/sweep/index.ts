import { router } from "../../trpc";
import { claim } from "./claim";
import { complete } from "./complete";
import { create } from "./create";
import { fail } from "./fail";
import { get } from "./get";
import { heartbeat } from "./heartbeat";
import { list } from "./list";
import { registerAgent } from "./register-agent";
import { cancel } from "./cancel";
import { resume } from "./resume";

export const sweepRouter = router({ create, list, get, registerAgent, claim, heartbeat, complete, fail, cancel, resume });
