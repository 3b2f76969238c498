import { AccountView } from "@/components/projects/account-view";

export default function AccountPage() {
  return <AccountView />;
}
