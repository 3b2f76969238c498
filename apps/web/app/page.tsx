import { ProjectsView } from "@/components/projects/projects-view";

export default function HomePage() {
  return <ProjectsView />;
}
