import { router } from "../../trpc";
import { create } from "./create";
import { get } from "./get";
import { list } from "./list";
import { members } from "./members";
import { removeMember } from "./remove-member";
import { setMember } from "./set-member";

export const projectRouter = router({ create, list, get, members, setMember, removeMember });
