import { z } from "zod";
import { route } from "../route";

/** Live updates for the signed-in wallet, pushed as Server-Sent Events. */
export const eventRoutes = {
  events: route({
    method: "get",
    path: "/api/events",
    summary:
      "Server-Sent Events for the signed-in wallet: ledger events concerning it (requests, answers, grants, revocations, break-glass, records), a content-free note when a record is added to a vault it may list under a live grant covering that record's category, and disclosures of its records; for an account with the auditor role (read again before each event), every ledger event and every disclosure",
    tag: "events",
    auth: true,
    query: z.object({
      since: z
        .string()
        .regex(
          /^(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})$/,
          "must be the id of the last event received: two decimal numbers joined by a dot, e.g. 42.7",
        )
        .optional()
        .meta({ description: "Resume after this event id (the `id:` of the last event received); default: from now on" }),
    }),
    status: 200,
    response: {
      description:
        "An event stream: `event: ledger` (data: a ledger event as the audit library decodes it), `event: vault` (data: { patient } only — a record was added to that patient's vault in a category your live grant covers; list the vault to see it), `event: disclosure` (data: a disclosure log entry of your records), `event: ready` once caught up; `id:` is the resume cursor. The stream ends when its session does (sign-out or expiry), and the reconnect is then refused 401",
      contentType: "text/event-stream",
    },
    errors: ["BAD_REQUEST", "BUSY", "CHAIN_UNAVAILABLE"],
  }),
};
