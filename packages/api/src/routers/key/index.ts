import { router } from "../../trpc";
import { create } from "./create";
import { list } from "./list";
import { listMine } from "./list-mine";
import { revoke } from "./revoke";

export const keyRouter = router({ create, list, listMine, revoke });
