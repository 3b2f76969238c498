import { MembersView } from "@/components/projects/members-view";

export default async function MembersPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return <MembersView project={decodeURIComponent(project)} />;
}
