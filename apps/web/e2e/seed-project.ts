/** A tRPC mutation over HTTP with a bearer key, as any client sends it. */
export async function trpcMutation(baseUrl: string, apiKey: string, path: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ json: input }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

/** A new project of the admin whose key is given, and an admin key of that project (to log and sign in with). */
export async function createProjectWithKey(baseUrl: string, adminKey: string, slug: string): Promise<string> {
  await trpcMutation(baseUrl, adminKey, "project.create", { slug, name: slug });
  const key = (await trpcMutation(baseUrl, adminKey, "key.create", { project: slug, name: "e2e", scopes: ["admin"] })) as { secret: string };
  return key.secret;
}
