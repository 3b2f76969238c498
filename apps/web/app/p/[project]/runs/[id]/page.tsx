import { RunView } from "@/components/run/run-view";

export default async function RunPage({ params }: { params: Promise<{ project: string; id: string }> }) {
  const { project, id } = await params;
  return <RunView project={decodeURIComponent(project)} runId={decodeURIComponent(id)} />;
}
