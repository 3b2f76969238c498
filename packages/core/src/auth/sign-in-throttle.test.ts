import { describe, expect, it } from "vitest";
import { checkSignInAllowed, recordSignIn } from "./sign-in-throttle";

describe("sign-in throttle", () => {
  it("lets 5 failures through, then makes each further attempt wait longer, and a success clears it", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(() => checkSignInAllowed("Mallory", t0 + i)).not.toThrow();
      recordSignIn("mallory", false, t0 + i);
    }
    expect(() => checkSignInAllowed("mallory", t0 + 5)).toThrow(/too many failed sign-ins for 'mallory'; try again in 1 s/);
    expect(() => checkSignInAllowed("mallory", t0 + 4 + 1000)).not.toThrow();
    recordSignIn("mallory", false, t0 + 2000);
    expect(() => checkSignInAllowed("mallory", t0 + 3000)).toThrow(/try again in 1 s/);
    expect(() => checkSignInAllowed("mallory", t0 + 2000 + 2000)).not.toThrow();
    expect(() => checkSignInAllowed("someone-else", t0 + 5)).not.toThrow();
    recordSignIn("mallory", true, t0 + 5000);
    expect(() => checkSignInAllowed("mallory", t0 + 5001)).not.toThrow();
  });

  it("forgets failures older than the 15-minute window", () => {
    for (let i = 0; i < 8; i++) recordSignIn("eve", false, i);
    expect(() => checkSignInAllowed("eve", 10)).toThrow(/too many/);
    expect(() => checkSignInAllowed("eve", 7 + 15 * 60_000 + 1)).not.toThrow();
  });
});
