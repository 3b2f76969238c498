import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { ensureBuild, startStack } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    apiKey: string;
    project: string;
    adminUsername: string;
    adminPassword: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  ensureBuild();
  const stack = await startStack();
  project.provide("baseUrl", stack.baseUrl);
  project.provide("apiKey", stack.apiKey);
  project.provide("project", stack.project);
  project.provide("adminUsername", stack.adminUsername);
  project.provide("adminPassword", stack.adminPassword);
  project.provide("databaseUrl", stack.db.url);
  return async () => {
    await stack.stop();
  };
}
