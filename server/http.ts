import type { NextFunction, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { ApiError } from "./errors";
import type { Session, SessionService } from "./services/sessions";

/** Validates `value` (a body, query or params object) against a schema; failures name the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "path"): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? `${where}.${issue.path.join(".")}` : where;
  const problem = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  throw new ApiError("BAD_REQUEST", `${field} ${problem}`, { field });
}

/** The signed-in wallet of this request, set by {@link requireSession}. */
export function sessionOf(res: Response): Session {
  return res.locals.session as Session;
}

/** Middleware: requires a valid bearer session token. */
export function requireSession(sessions: SessionService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    res.locals.session = sessions.authenticate(token);
    next();
  };
}
