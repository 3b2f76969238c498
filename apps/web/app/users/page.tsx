import { UsersView } from "@/components/projects/users-view";

export default function UsersPage() {
  return <UsersView />;
}
