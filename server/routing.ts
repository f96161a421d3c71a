import { Router, type Request, type RequestHandler, type Response } from "express";
import { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";
import { statusOf, type ApiErrorCode } from "../lib/api/errors";
import type { RouteDef, RouteOutput, RouteParsed } from "../lib/api/route";
import { errorView } from "../lib/api/views";
import { ApiError } from "./errors";
import { parseInput } from "./http";
import type { Session } from "./services/sessions";

/** What a handler receives: validated inputs, the session (on authenticated routes), and the raw request/response. */
export type HandlerInput<R extends RouteDef> = RouteParsed<R> & {
  /** The signed-in wallet; only present on routes declared with `auth: true`. */
  session: Session;
  req: Request;
  res: Response;
};

/** A JSON answer with a status other than the route's success status (e.g. /readyz's 503). */
export class Answer<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

/**
 * What a handler returns: the JSON body of its success answer (checked against the route's schema before it is sent),
 * or nothing for a binary route that wrote its answer itself.
 */
export type HandlerResult<R extends RouteDef> = R["response"] extends { schema: z.ZodType } ? RouteOutput<R> | Answer<unknown> : void;

/** Authenticates a request from its bearer token (throws UNAUTHENTICATED or SESSION_EXPIRED). */
export type Authenticator = (req: Request) => Promise<Session>;

/**
 * Installs the API's routes from their declarations in `lib/api`: each declaration gives the validation of the
 * request, the check of the answer, and the path's entry in the OpenAPI document, so /openapi.json cannot drift
 * from what the gateway checks and answers.
 */
export class ApiRoutes {
  readonly router = Router();
  readonly registry = new OpenAPIRegistry();
  /** Paths served, as "METHOD /path", for the test that compares them with the OpenAPI document. */
  readonly served: string[] = [];

  constructor(
    private readonly authenticate: Authenticator,
    /** Runs after authentication on every authenticated route: the per-wallet rate limit. */
    private readonly perWallet: RequestHandler = (_req, _res, next) => next(),
    /**
     * Reads a JSON body, after authentication and any route-specific parser (e.g. a raw body), so an anonymous client
     * cannot make the gateway read one; a body already read by the route's own parser is left as it is.
     */
    private readonly jsonBody: RequestHandler = (_req, _res, next) => next(),
  ) {
    this.registry.registerComponent("securitySchemes", "siweSession", {
      type: "http",
      scheme: "bearer",
      description: "Session token from POST /api/auth/verify (Sign-In with Ethereum).",
    });
  }

  /** Declares a route and installs its handler (after any route-specific middleware, e.g. a raw body parser). */
  add<R extends RouteDef>(
    def: R,
    handler: (input: HandlerInput<R>) => Promise<HandlerResult<R>> | HandlerResult<R>,
    ...middleware: RequestHandler[]
  ): void {
    this.register(def);
    this.served.push(`${def.method.toUpperCase()} ${def.path}`);
    const expressPath = def.path.replace(/\{(\w+)\}/g, ":$1");
    const run: RequestHandler = async (req, res) => {
      const input = {
        params: def.params ? parseInput(def.params, req.params, "path") : undefined,
        query: def.query ? parseInput(def.query, req.query, "query") : undefined,
        body: def.body ? parseInput(def.body, req.body, "body") : undefined,
        session: res.locals.session as Session,
        req,
        res,
      } as HandlerInput<R>;
      const result = (await handler(input)) as unknown;
      if (!("schema" in def.response)) return;
      const answer = result instanceof Answer ? result : new Answer(def.status, result);
      const schema = answer.status === def.status ? def.response.schema : def.otherResponses?.[answer.status]?.schema;
      // An answer that does not match its declaration is a gateway bug: never send it.
      const checked = schema?.safeParse(answer.body);
      if (checked === undefined || !checked.success) {
        throw new Error(
          `answer of ${def.method.toUpperCase()} ${def.path} does not match its schema: ${checked?.error.message ?? "undeclared status"}`,
        );
      }
      res.status(answer.status).json(answer.body);
    };
    // Authenticate before any body is read, so an anonymous client cannot make the gateway buffer a body.
    const gate: RequestHandler = (req, res, next) => {
      if (!def.auth) return next();
      this.authenticate(req).then((session) => {
        res.locals.session = session;
        res.locals.wallet = session.address;
        this.perWallet(req, res, next);
      }, next);
    };
    // A JSON-body route given a body of another type says so (415), rather than reading no body and naming a field.
    const jsonOnly: RequestHandler = (req, _res, next) => {
      if (!def.body || req.body !== undefined || req.is("application/json") !== false) return next();
      const sent = req.get("content-type") ?? "no Content-Type";
      next(
        new ApiError("UNSUPPORTED_MEDIA_TYPE", `body must be JSON sent as Content-Type: application/json (this one is ${sent}).`, {
          field: "body",
        }),
      );
    };
    this.router[def.method](expressPath, gate, ...middleware, jsonOnly, this.jsonBody, run);
  }

  private register(def: RouteDef): void {
    type Content = Record<string, { schema: z.ZodType | { type: "string"; format: "binary" } }>;
    const responses: Record<string, { description: string; content?: Content }> = {};
    responses[String(def.status)] = {
      description: def.response.description,
      content:
        "schema" in def.response
          ? { "application/json": { schema: def.response.schema } }
          : Object.fromEntries([def.response.contentType].flat().map((type) => [type, { schema: { type: "string", format: "binary" } }])),
    };
    for (const [status, other] of Object.entries(def.otherResponses ?? {})) {
      responses[status] = { description: other.description, content: { "application/json": { schema: other.schema } } };
    }
    const codes = new Set<ApiErrorCode>(def.errors);
    // What the shared middleware answers: the per-address limiter covers /api, the per-wallet one signed-in routes,
    // the JSON body parser (64 KB) every route with a JSON body.
    if (def.path.startsWith("/api/") || def.auth) codes.add("RATE_LIMITED");
    if (def.auth) for (const code of ["UNAUTHENTICATED", "SESSION_EXPIRED"] as const) codes.add(code);
    if (def.body) for (const code of ["BAD_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"] as const) codes.add(code);
    const byStatus = new Map<number, ApiErrorCode[]>();
    for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
    for (const [status, list] of byStatus) {
      responses[String(status)] = { description: `Error: ${list.join(", ")}`, content: { "application/json": { schema: errorView } } };
    }
    this.registry.registerPath({
      method: def.method,
      path: def.path,
      summary: def.summary,
      tags: [def.tag],
      security: def.auth ? [{ siweSession: [] }] : undefined,
      request: {
        params: def.params as never,
        query: def.query as never,
        body: def.body
          ? { content: { "application/json": { schema: def.body } } }
          : def.rawBody
            ? {
                description: def.rawBody.description,
                content: { [def.rawBody.contentType]: { schema: { type: "string", format: "binary" } } },
              }
            : undefined,
      },
      responses,
    });
  }
}

/**
 * Reads the bearer token of a request, if any. The scheme's name is case-insensitive (RFC 9110 §11.1: `bearer` is
 * `Bearer`); the token after it is taken as sent.
 */
export function bearerToken(req: Request): string | undefined {
  const header = req.get("authorization");
  const scheme = "bearer ";
  return header?.slice(0, scheme.length).toLowerCase() === scheme ? header.slice(scheme.length).trim() : undefined;
}

/** Throws unless `cond`; a small guard for handlers. */
export function ensure(cond: unknown, code: ApiErrorCode, message: string, details?: Record<string, unknown>): asserts cond {
  if (!cond) throw new ApiError(code, message, details);
}
