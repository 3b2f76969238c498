import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { ensureBuild, startStack } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    apiKey: string;
    project: string;
  }
}

export default async function setup(project: TestProject) {
  ensureBuild();
  const stack = await startStack();
  project.provide("baseUrl", stack.baseUrl);
  project.provide("apiKey", stack.apiKey);
  project.provide("project", stack.project);
  return async () => {
    await stack.stop();
  };
}
