import { Router, type Request, type RequestHandler, type Response } from "express";
import { OpenAPIRegistry, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { type ApiErrorCode, statusOf } from "./errors";
import { parseInput } from "./http";
import type { Session, SessionService } from "./services/sessions";

extendZodWithOpenApi(z);

/** The error body every 4xx/5xx carries. */
export const errorSchema = z
  .object({
    error: z.object({ code: z.string().openapi({ example: "ACCESS_DENIED" }), message: z.string(), field: z.string().optional() }),
  })
  .openapi("Error");

type Method = "get" | "post";

/** A route's declaration: what it accepts and answers, from which both validation and the OpenAPI document come. */
export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  /** OpenAPI-style path, e.g. "/api/records/{cid}". */
  path: string;
  summary: string;
  tag: string;
  /** Whether a Sign-In with Ethereum session token is required. */
  auth: boolean;
  body?: B;
  /** Raw (non-JSON) request body: its media type, description and size limit, read by the handler itself. */
  rawBody?: { contentType: string; description: string };
  query?: Q;
  params?: P;
  /** Success responses: status → description and, for JSON, its schema (or a media type for bytes). */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Error codes this route may answer with (documented as responses with the Error body). */
  errors: ApiErrorCode[];
}

/** What a handler receives: validated inputs and, for authenticated routes, the session. */
export interface RouteInput<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body: z.output<B>;
  query: z.output<Q>;
  params: z.output<P>;
  /** The signed-in wallet; only meaningful on routes declared with `auth: true`. */
  session: Session;
  req: Request;
  res: Response;
}

/**
 * Collects the API's routes: each declaration both installs validation + the handler on an Express router and
 * registers the path in the OpenAPI document, so /openapi.json cannot drift from what the gateway checks.
 */
export class ApiRoutes {
  readonly router = Router();
  readonly registry = new OpenAPIRegistry();

  constructor(
    private readonly sessions: SessionService,
    /** Runs after authentication on every authenticated route: the per-wallet rate limit. */
    private readonly perWallet: RequestHandler = (_req, _res, next) => next(),
  ) {
    this.registry.registerComponent("securitySchemes", "siweSession", {
      type: "http",
      scheme: "bearer",
      description: "Session token from POST /api/auth/verify (Sign-In with Ethereum).",
    });
  }

  /** Declares a route and installs it. */
  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<B, Q, P>) => Promise<void> | void,
    ...middleware: RequestHandler[]
  ): void {
    this.register(spec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ":$1");
    const run: RequestHandler = async (req, res) => {
      const session = spec.auth ? this.authenticate(req) : (undefined as unknown as Session);
      const input = {
        params: spec.params ? parseInput(spec.params, req.params, "path") : undefined,
        query: spec.query ? parseInput(spec.query, req.query, "query") : undefined,
        body: spec.body ? parseInput(spec.body, req.body, "body") : undefined,
        session,
        req,
        res,
      } as RouteInput<B, Q, P>;
      await handler(input);
    };
    // Authenticate before any body is read, so an anonymous client cannot make the gateway buffer a body.
    const gate: RequestHandler = (req, res, next) => {
      if (!spec.auth) return next();
      res.locals.wallet = this.authenticate(req).address;
      this.perWallet(req, res, next);
    };
    this.router[spec.method](expressPath, gate, ...middleware, run);
  }

  private authenticate(req: Request): Session {
    const header = req.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
    return this.sessions.authenticate(token);
  }

  private register<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(spec: RouteSpec<B, Q, P>): void {
    const responses: Record<
      string,
      { description: string; content?: Record<string, { schema: z.ZodType | { type: "string"; format: "binary" } }> }
    > = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = {
        description: r.description,
        content: r.schema
          ? { "application/json": { schema: r.schema } }
          : r.contentType
            ? { [r.contentType]: { schema: { type: "string", format: "binary" } } }
            : undefined,
      };
    }
    const errors = spec.auth
      ? [...new Set<ApiErrorCode>([...spec.errors, "UNAUTHENTICATED", "SESSION_EXPIRED", "RATE_LIMITED"])]
      : [...spec.errors, "RATE_LIMITED" as const];
    const byStatus = new Map<number, ApiErrorCode[]>();
    for (const code of errors) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
    for (const [status, codes] of byStatus) {
      responses[String(status)] = { description: `Error: ${codes.join(", ")}`, content: { "application/json": { schema: errorSchema } } };
    }
    this.registry.registerPath({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.auth ? [{ siweSession: [] }] : undefined,
      request: {
        params: spec.params as never,
        query: spec.query as never,
        body: spec.body
          ? { content: { "application/json": { schema: spec.body } } }
          : spec.rawBody
            ? {
                description: spec.rawBody.description,
                content: { [spec.rawBody.contentType]: { schema: { type: "string", format: "binary" } } },
              }
            : undefined,
      },
      responses,
    });
  }
}
