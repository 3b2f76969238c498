import { Suspense } from "react";
import { ImpactView } from "@/components/analysis/impact-view";

export default async function ImpactPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return (
    <Suspense>
      <ImpactView project={decodeURIComponent(project)} />
    </Suspense>
  );
}
