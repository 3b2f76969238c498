import { Suspense } from "react";
import { AblationView } from "@/components/analysis/ablation-view";

export default async function AblationPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return (
    <Suspense>
      <AblationView project={decodeURIComponent(project)} />
    </Suspense>
  );
}
