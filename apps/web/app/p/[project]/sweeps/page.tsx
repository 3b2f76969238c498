import { SweepsList } from "@/components/sweeps/sweeps-list";

export default async function SweepsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await params;
  return <SweepsList project={decodeURIComponent(project)} />;
}
