import path from "node:path";
import express, { type ErrorRequestHandler, type Express } from "express";
import helmet from "helmet";
import { rateLimit } from "express-rate-limit";
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { ApiError } from "./errors";
import { ApiRoutes, bearerToken } from "./routing";
import { accountRoutes } from "./routes/accounts";
import { auditRoutes } from "./routes/audit";
import { authRoutes } from "./routes/auth";
import { disclosureRoutes } from "./routes/disclosures";
import { emergencyRoutes } from "./routes/emergency";
import { eventRoutes } from "./routes/events";
import { grantRoutes } from "./routes/grants";
import { keyRoutes } from "./routes/keys";
import { metaRoutes } from "./routes/meta";
import { recordRoutes } from "./routes/records";
import { requestRoutes } from "./routes/requests";
import { rpcRoutes } from "./routes/rpc";
import type { GatewayServices } from "./services/gatewayServices";
import { peerExchangeRouter, type PeerExchangeOptions } from "./routes/peerExchange";

/** Builds the gateway's Express app from its services; it does not listen (main.ts and tests do). */
export function createApp(services: GatewayServices, exchange?: Omit<PeerExchangeOptions, "onServed">): Express {
  const app = express();
  app.disable("x-powered-by");
  // Per-IP limits and budgets key on the socket address unless the operator says how many proxies to trust.
  app.set("trust proxy", services.config.trustProxyHops === 0 ? false : services.config.trustProxyHops);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "img-src": ["'self'", "data:", "blob:"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
        },
      },
    }),
  );
  const { rateLimitPerIp, rateLimitPerWallet } = services.config;
  app.use(
    "/api",
    rateLimit({ windowMs: 60_000, limit: rateLimitPerIp, standardHeaders: "draft-8", legacyHeaders: false, handler: rateLimited }),
  );
  // One wallet cannot exhaust the gateway from many addresses either.
  const perWallet = rateLimit({
    windowMs: 60_000,
    limit: rateLimitPerWallet,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (_req, res) => `wallet:${String(res.locals.wallet)}`,
    handler: rateLimited,
  });
  const api = new ApiRoutes(
    (req) => services.sessions.authenticate(bearerToken(req)),
    perWallet,
    express.json({ limit: "64kb", strict: true }),
  );
  for (const routes of [
    metaRoutes,
    authRoutes,
    recordRoutes,
    grantRoutes,
    requestRoutes,
    keyRoutes,
    accountRoutes,
    disclosureRoutes,
    emergencyRoutes,
    auditRoutes,
    eventRoutes,
    rpcRoutes,
  ]) {
    routes(api, services);
  }
  const openApi = new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Consent Ledger gateway",
      version: "1",
      description: "Releases record ciphertext only under a live on-chain grant; logs every disclosure.",
    },
  });
  app.get("/openapi.json", (_req, res) => void res.json(openApi));
  app.use(api.router);
  if (exchange !== undefined) {
    // The IPFS Trustless Gateway protocol for member organizations' gateways (not part of the client API).
    app.use(
      peerExchangeRouter({
        ...exchange,
        onServed: (served) => services.logger.info(served, "block served to a member gateway"),
      }),
    );
  }
  app.use("/api", (req) => {
    throw new ApiError("NOT_FOUND", `No route ${req.method} ${req.originalUrl.split("?")[0]}.`);
  });

  if (services.config.webDir !== undefined) {
    const webDir = path.resolve(services.config.webDir);
    app.use(express.static(webDir, { index: "index.html", maxAge: "1h" }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(webDir, "index.html")));
  }

  app.use(errorHandler(services));
  return app;
}

function rateLimited(): never {
  throw new ApiError("RATE_LIMITED", "Too many requests; slow down and retry in a minute.");
}

/** Turns every error into `{ error: { code, message } }`; only a bug in the gateway yields a 500. */
function errorHandler(services: GatewayServices): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500 && apiError.code === "INTERNAL") {
      services.logger.error({ err, method: req.method, path: req.path }, "request failed");
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (apiError.retryAfterSeconds !== undefined) res.set("Retry-After", String(apiError.retryAfterSeconds));
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, ...apiError.details } });
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case "entity.parse.failed":
      return new ApiError("BAD_REQUEST", "body is not valid JSON.");
    case "entity.too.large":
      return new ApiError("PAYLOAD_TOO_LARGE", "body is larger than this route accepts.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new ApiError("UNSUPPORTED_MEDIA_TYPE", "body encoding or charset is not supported.");
    case "request.aborted":
      return new ApiError("BAD_REQUEST", "the request was aborted by the client.");
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return new ApiError("BAD_REQUEST", e.message ?? "bad request");
  }
  return new ApiError("INTERNAL", "The gateway failed unexpectedly; the failure is logged.");
}
