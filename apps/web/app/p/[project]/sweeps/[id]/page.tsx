import { SweepView } from "@/components/sweeps/sweep-view";

export default async function SweepPage({ params }: { params: Promise<{ project: string; id: string }> }) {
  const { project, id } = await params;
  return <SweepView project={decodeURIComponent(project)} sweepId={decodeURIComponent(id)} />;
}
