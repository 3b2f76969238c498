import { router } from "../../trpc";
import { create } from "./create";
import { remove } from "./delete";
import { finish } from "./finish";
import { get } from "./get";
import { heartbeat } from "./heartbeat";
import { list } from "./list";
import { update } from "./update";

export const runRouter = router({ create, update, heartbeat, finish, get, list, delete: remove });
