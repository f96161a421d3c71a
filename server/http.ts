import { z } from "zod";
import { ApiError } from "./errors";

/** Validates `value` (a body, query or params object) against a schema; failures name the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "path"): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? `${where}.${issue.path.join(".")}` : where;
  const problem = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  throw new ApiError("BAD_REQUEST", `${field} ${problem}`, { field });
}
