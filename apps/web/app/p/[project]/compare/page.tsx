import { CompareView } from "@/components/compare/compare-view";

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ runs?: string }>;
}) {
  const { project } = await params;
  const { runs } = await searchParams;
  const runIds = (runs ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return <CompareView project={decodeURIComponent(project)} runIds={runIds} />;
}
