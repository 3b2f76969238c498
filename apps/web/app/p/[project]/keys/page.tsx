import { KeysView } from "@/components/projects/keys-view";

export default async function KeysPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return <KeysView project={decodeURIComponent(project)} />;
}
