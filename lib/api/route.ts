import type { z } from "zod";
import { txView } from "./views";
import type { ApiErrorCode } from "./errors";

/** A success answer: a JSON body with its schema, or bytes of a media type (or of one of several). */
export type RouteResponse = { description: string; schema: z.ZodType } | { description: string; contentType: string | readonly string[] };

/**
 * One route of the gateway's HTTP API: what it accepts and what it answers. The gateway validates requests and
 * answers with it and generates `/openapi.json` from it; the client builds requests and parses answers with it.
 */
export interface RouteDef<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  R extends RouteResponse = RouteResponse,
> {
  method: "get" | "post";
  /** OpenAPI-style path, e.g. "/api/records/{cid}". */
  path: string;
  summary: string;
  tag: string;
  /** Whether a Sign-In with Ethereum session token is required. */
  auth: boolean;
  body?: B;
  /** A raw (non-JSON) request body the handler reads itself: its media type and description. */
  rawBody?: { contentType: string; description: string };
  query?: Q;
  params?: P;
  /** Status of a success. */
  status: number;
  response: R;
  /** Other non-error answers worth documenting (e.g. /readyz's 503 body). */
  otherResponses?: Record<number, { description: string; schema: z.ZodType }>;
  /** Error codes this route may answer with. */
  errors: readonly ApiErrorCode[];
}

/** Declares a route, keeping its literal types for inference. */
export function route<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R extends RouteResponse = RouteResponse,
>(def: RouteDef<B, Q, P, R>): RouteDef<B, Q, P, R> {
  return def;
}

/** The schema of an optional part of a route (`never` when the route has none). */
type SchemaOf<S> = NonNullable<S>;
type Part<S, Mode extends "input" | "output"> = [SchemaOf<S>] extends [never]
  ? undefined
  : SchemaOf<S> extends z.ZodType
    ? Mode extends "input"
      ? z.input<SchemaOf<S>>
      : z.output<SchemaOf<S>>
    : undefined;

/** What a client sends to a route (before the gateway's transforms). */
export type RouteInput<R extends RouteDef> = {
  [K in "body" | "query" | "params" as [SchemaOf<R[K]>] extends [never] ? never : K]: Part<R[K], "input">;
};

/** What a handler receives, validated and transformed. */
export type RouteParsed<R extends RouteDef> = {
  body: Part<R["body"], "output">;
  query: Part<R["query"], "output">;
  params: Part<R["params"], "output">;
};

/** The JSON body of a route's success answer (`Uint8Array`-like bytes for binary routes). */
export type RouteOutput<R extends RouteDef> = R["response"] extends { schema: infer S extends z.ZodType } ? z.output<S> : Uint8Array;

/** Fills `{name}` placeholders of a route path from its params (URI-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

/** What every relayed transaction may answer besides success: the signature or caller refused, reverted, over budget, chain down. */
export const RELAY_ERRORS = ["BAD_REQUEST", "FORBIDDEN", "TRANSACTION_REVERTED", "RELAY_BUDGET_EXCEEDED", "CHAIN_UNAVAILABLE"] as const;

/**
 * Declares a relay route: a signed EIP-712 message in the body, relayed by the gateway's account, answered with the
 * mined transaction once it is mined (201). What relay routes share is said once; `errors` adds route-specific codes.
 */
export function relayRoute<B extends z.ZodType, P extends z.ZodType | undefined = undefined>(def: {
  path: string;
  summary: string;
  tag: string;
  body: B;
  params?: P;
  errors?: readonly ApiErrorCode[];
}): RouteDef<B, undefined, P, { description: string; schema: typeof txView }> {
  const { errors = [], ...rest } = def;
  return {
    method: "post",
    auth: true,
    status: 201,
    response: { description: "Mined", schema: txView },
    ...rest,
    errors: [...RELAY_ERRORS, ...errors],
  };
}
