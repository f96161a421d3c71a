import type { z } from "zod";
import { ApiError } from "./errors";

/**
 * Validates `value` (a body, query or params object) against a schema; the failure names the field and says what is
 * wrong with it: "is required" only when the field is absent, otherwise the schema's own words ("must be …").
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "path"): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? `${where}.${issue.path.join(".")}` : where;
  const absent = issue.code === "invalid_type" && !isPresent(value, issue.path);
  const problem = absent ? "is required" : describeIssue(issue);
  throw new ApiError("BAD_REQUEST", `${field} ${problem}`, { field });
}

function isPresent(value: unknown, path: readonly PropertyKey[]): boolean {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !(key in (current as object))) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current !== undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // A schema's own words ("must be …") say the form; zod's generic "Invalid input: expected …" is reworded.
  if (issue.code === "invalid_type") return issue.message.startsWith("must ") ? issue.message : `must be ${article(issue.expected)}`;
  if (issue.code === "unrecognized_keys") return `has unexpected field(s): ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_union") return "is not of an accepted type";
  return issue.message;
}

function article(expected: string): string {
  if (expected === "array" || expected === "object" || expected === "integer") return `an ${expected}`;
  return `a ${expected}`;
}
