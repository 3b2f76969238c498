import superjson from "superjson";

type SuperJSONResult = Parameters<typeof superjson.deserialize>[0];

/** True when JSON.stringify keeps `value` exactly: plain objects, arrays, strings, booleans, null, finite numbers. */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * superjson on the wire (NaN, ±Infinity, Date, BigInt cross it), made cheap for the common case:
 * superjson walks every value keeping paths even when there is nothing to annotate, and deep-copies
 * every payload it reads. A metric batch or a series is 10^4–10^5 plain numbers, so a plain-JSON
 * payload is sent as `{ json }` untouched (exactly what superjson would produce), and payloads just
 * parsed from the wire are read in place. Client and server may each use this or plain superjson.
 */
export const wireTransformer = {
  serialize: (value: unknown): SuperJSONResult => (isPlainJson(value) ? { json: value as SuperJSONResult["json"] } : superjson.serialize(value)),
  deserialize: (payload: unknown): unknown => superjson.deserialize(payload as SuperJSONResult, { inPlace: true }),
};
