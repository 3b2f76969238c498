import { Suspense } from "react";
import { preload } from "react-dom";
import { wireTransformer } from "@finetrack/contracts";
import { RunsView } from "@/components/runs/runs-view";
import { readTableView } from "@/lib/view-state";
import { runsTableInput } from "@/components/runs/table-input";

export default async function RunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const project = decodeURIComponent((await params).project);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") query.set(k, v);
  // The table's data request, started by the browser while it loads the page's scripts: the same
  // URL tRPC's httpLink builds for the table's input, so its fetch() reuses the response.
  const input = wireTransformer.serialize(runsTableInput(project, readTableView(query)));
  preload(`/api/trpc/analysis.runRows?input=${encodeURIComponent(JSON.stringify(input))}`, { as: "fetch", crossOrigin: "anonymous" });
  return (
    <Suspense>
      <RunsView project={project} />
    </Suspense>
  );
}
