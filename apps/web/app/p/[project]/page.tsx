import { Suspense } from "react";
import { RunsView } from "@/components/runs/runs-view";

export default async function RunsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return (
    <Suspense>
      <RunsView project={decodeURIComponent(project)} />
    </Suspense>
  );
}
