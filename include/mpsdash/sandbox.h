/* The sandbox: a simulated Graph API for Multi-Partner Solutions, served by libmicrohttpd on
 * 127.0.0.1 only. It backs `mpsdash --demo`, `mpsdash sandbox` and the tests.
 *
 * Identities (public demo strings, not secrets): every request carries
 * `Authorization: Bearer <token>`; an `access_token` query or form parameter is refused with
 * error 100 so that a leaking client is caught.
 *
 * Endpoints (any /vNN.N/ prefix, or none):
 *   GET  /<APP_ID>/whatsapp_business_solutions   ?fields= ?limit= (25, max 100) ?after= ?before=
 *                                                ?role=OWNER|PARTNER
 *   GET  /<SOLUTION_ID> ?fields=      GET /<SOLUTION_ID>/partners      GET /<WABA_ID>/solutions
 *   GET  /<BUSINESS_ID>/client_whatsapp_business_accounts ?filtering=[{"field":"partners",
 *        "operator":"ALL"|"ANY","value":["<business id>",...]}]
 *   GET  /<SOLUTION_ID>/access_token?business_id=   (ACTIVE solutions of the caller only)
 *   GET  /me   GET /me/application_details   GET /me/assigned_applications (the same apps)
 *   GET  /<APP_ID>?fields=id,name,link
 *   POST /<SOLUTION_ID>/accept | reject                        (invited partner; INITIATED/PENDING)
 *   POST /<SOLUTION_ID>/send_deactivation_request             (owner; ACTIVE)
 *   POST /<SOLUTION_ID>/accept_deactivation_request | reject_deactivation_request
 *                                     (the party that did not ask; pending deactivation)
 *   POST /<APP_ID>/whatsapp_business_solution  solution_name, partner_app_id, owner_permissions,
 *        partner_permissions (form or JSON body) -> {"solution_id":"..."}
 *   POST /  batch=[{"method":"GET","relative_url":"..."},...]   (at most 50)
 * Default fields: solutions name,status,status_for_pending_request,id; partners
 * partner_app,status,id; apps link,name,id; WABAs id,name,timezone_id,business_type,
 * message_template_namespace. `id` is always answered.
 * Errors: {"error":{"message","type","code","error_subcode","is_transient",
 * "fbtrace_id":"SBX00000001"}}, HTTP 400 (503 for the status503 fault); wrong role is code 200,
 * wrong state code 100 ("Solution is not pending; it is ACTIVE"); an id the caller may not see is
 * code 100 subcode 33, like Graph.
 * Demo sequence (demo_activity, or POST /__sandbox/demo_step): Social Overdrive sends Lucky Shrub
 * a new pending request; Social Overdrive answers a deactivation request of Lucky Shrub's
 * (accepts, then rejects the next) or else asks for one; a customer onboards through an active
 * solution (account_update PARTNER_ADDED and a new client WABA); and again.
 * Paging answers carry paging.cursors.{before,after} and, except on the last page, `next`
 * (and `previous` after the first page) as absolute http://127.0.0.1:PORT/... URLs.
 * Every answer carries X-App-Usage {"call_count":N,...}: N is the number of requests the calling
 * app made in the last 10 minutes (capped at 95), so it rises with use.
 *
 * Control API for tests (no token needed; not written to the request log):
 *   POST   /__sandbox/fault   {"match":"POST /accept", "kind":"...", "times":1, "skip":0,
 *                              "ms":0, "apply":false, "regain_minutes":1}
 *          match: "<METHOD> <path suffix>", "<METHOD>" alone, or "*" (any non-control request).
 *          kind: latency (delay by ms, then answer normally) | hang (no answer until the client
 *          closes, ms elapses or the sandbox stops) | reset (close without an answer) |
 *          status503 | status500 (code 2, transient) | truncate (Content-Length promises more
 *          than is sent) | ratelimit (HTTP 400 code 80007 + X-Business-Use-Case-Usage at 100%;
 *          HTTP 429 in the openapi dialect) | expired (190/463; HTTP 401 in openapi) |
 *          huge (a 200 body over 8 MiB) | deep (10,000 nested arrays) | malformed (invalid JSON)
 *          | nonobject (valid JSON that is not an object).
 *          times: how many matching requests it hits (-1 = until cleared); skip: matching requests
 *          to let through first. apply: a faulted POST still makes its change first.
 *   DELETE /__sandbox/fault   clears every fault.
 *   GET    /__sandbox/state   the whole state in the scenario format below, plus "requests":N
 *                             and "listing_scans":N (solution listings assembled from the
 *                             world: once per caller and role until the solutions change);
 *                             tokens are left out (each app says "can_call":true|false).
 *   POST   /__sandbox/mutate  {"id":..,"name":..|"name_hex":..,"status":..,
 *                              "status_for_pending_request":..,"owner_permissions":[..],
 *                              "partner_permissions":[..],"partner_status":..,
 *                              "deactivation_requested_by":..} changes a solution, unchecked
 *                              (a SOLUTION_UPDATED event when the state changed); answers it.
 *   GET    /__sandbox/log     the request log, one JSON object per line (as request_log_path).
 *   POST   /__sandbox/demo_step  runs the next step of the demo sequence now.
 *   POST   /__sandbox/event   appends the JSON body (one webhook delivery) to the events file.
 *
 * Request log line: {"method":"GET","path":"/v25.0/...","query":"fields=...","status":200,
 *                    "app_id":"21202248997039"} (+ "fault":"<kind>" when one applied).
 *                    Never a token.
 * Events file line (one webhook delivery, appended on create/accept/reject/deactivation changes
 * and by the demo activity):
 *   {"object":"whatsapp_business_account","entry":[{"id":"<business id>","time":<unix>,
 *    "changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_CREATED|SOLUTION_UPDATED",
 *    "solution_id":"..","solution_status":".."}}]}]}
 *   and account_update / PARTNER_ADDED deliveries with value.waba_info as in Meta's guide.
 *
 * Scenario file (JSON; every key optional, the built-in dataset is expressible in it and
 * GET /__sandbox/state answers in it):
 *   {"dialect":"guide"|"openapi",   (see Dialects below; --dialect overrides it)
 *    "apps":[{"id":"..","name":"..","link":"..","token":"..","business_id":".."}],
 *        apps without a token are apps that cannot call (other parties). Absent: the built-in
 *        apps (Lucky Shrub, Social Overdrive and a few others). The first app with a token is the
 *        one whose webhook receiver the events file stands for.
 *    "application_details":[{"id":"..","name":"..","link":".."}],  (/me/application_details)
 *    "solutions":[{"id":"..","name":"..", or "name_hex":"<hex bytes>" for names that are not
 *        valid UTF-8, "status":"..","status_for_pending_request":"..",
 *        "owner_app":{"id":"..","name":"..","link":".."},   (name/link default from "apps")
 *        "owner_permissions":[".."],
 *        "partners":{"data":[{"id":"..","partner_app":{"id":".."},"status":"..",
 *                             "partner_permissions":[".."]}]},
 *        "deactivation_requested_by":"<app id>",     (default: the owner)
 *        "rejection_reason":"..", "deactivation_reason":".."}],  (what the last reject /
 *                                                     send_deactivation_request said, if anything)
 *    "wabas":[{"id":"..","name":"..","timezone_id":"..","business_type":"..",
 *        "message_template_namespace":"..","business_id":"<whose client it is>",
 *        "owner_business_id":"..","partner_business_ids":[".."],"solutions":["<solution id>"]}]}
 *   Absent "solutions"/"wabas" mean none (not the built-in ones). Examples:
 *   tests/fixtures/scenario_guide.json (the guide's solutions and customers) and
 *   tests/fixtures/scenario_hostile.json (names built to break terminals).
 *
 * Dialects. The guides and Meta's OpenAPI description disagree (../shared/graph-api-notes.md);
 * a real server may follow either, so the sandbox speaks both:
 *   guide (the default): as above. Action POSTs need no body and answer {"success":true}; a
 *     body (form or JSON, e.g. the spec's) is accepted as a tolerant Graph server would: unknown
 *     parameters are ignored, `rejection_reason` (reject) and `reason` (send_deactivation_request)
 *     are kept (GET /__sandbox/state shows them). Errors are HTTP 400 as Graph sends them.
 *   openapi: what the OpenAPI file (reference/meta-openapi-mps.yaml) describes, and nothing more:
 *     - no `partners` field (error 100 "Tried accessing nonexisting field (partners)"), no
 *       /<SOLUTION_ID>/partners edge (the same error), no batch (POST / is error 100), no
 *       /me/application_details (error 100 on node type User: /me/assigned_applications
 *       answers instead); client WABAs have no business_type or message_template_namespace;
 *     - the spec's JSON bodies are required (HTTP 400, code 100, naming the parameter):
 *       accept {"partner_app_id":"<the caller's app id>"}; reject {"request_type":
 *       "PARTNERSHIP_REQUEST"|"DEACTIVATION_REQUEST", "partner_app_id"?, "rejection_reason"?
 *       (at most 500 characters)}; reject_deactivation_request {"reject_deactivation_request":
 *       true}; create {"solution_name", "partner_app_id", "owner_permissions":[..],
 *       "partner_permissions":[..]} with both arrays present, only MESSAGING in them, and
 *       MESSAGING on exactly one side (else 422);
 *     - the spec's answers: accept {"solution_id","partner_status":"ACCEPTED","success":true,
 *       "message","update_time"}; reject {"success":true,"solution_id","rejected_request_type",
 *       "rejection_timestamp"(,"partner_app_id")}; send_deactivation_request {"success":true,
 *       "message","request_id"}; accept/reject_deactivation_request the solution object (fields=
 *       honoured); access_token {"access_token","expires_at"};
 *     - the spec's HTTP statuses, with Graph error bodies: 401 (token: 190, 104), 403 (role:
 *       200), 404 (an id the caller may not see: code 803), 422 (a state that does not allow the
 *       action; MESSAGING rule), 429 (ratelimit fault), 500 (status500 fault), 400 otherwise.
 *   The dialect comes from sandbox_options.dialect, else the scenario's "dialect" key, else guide;
 *   GET /__sandbox/state says which ("dialect").
 *
 * Thread safety: sandbox_start/sandbox_stop from one thread; the server runs on its own threads. */
#ifndef MPSDASH_SANDBOX_H
#define MPSDASH_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#define SANDBOX_TOKEN_A "sandbox-token-lucky-shrub"
#define SANDBOX_TOKEN_B "sandbox-token-social-overdrive"
#define SANDBOX_TOKEN_EXPIRED "sandbox-token-expired"

#define SANDBOX_APP_A_ID "21202248997039"
#define SANDBOX_APP_A_NAME "Lucky Shrub"
#define SANDBOX_APP_B_ID "637576208107267"
#define SANDBOX_APP_B_NAME "Social Overdrive"
/* Lucky Shrub's business portfolio and the partner business its client WABAs are shared with. */
#define SANDBOX_BUSINESS_A_ID "506914307656634"
#define SANDBOX_BUSINESS_B_ID "520744086200222"

typedef struct sandbox sandbox;

typedef enum sandbox_dialect {
    SANDBOX_DIALECT_DEFAULT = 0, /* the scenario's "dialect", else guide */
    SANDBOX_DIALECT_GUIDE,
    SANDBOX_DIALECT_OPENAPI,
} sandbox_dialect;

/* "guide" / "openapi" -> the dialect; false for anything else. */
bool sandbox_dialect_parse(const char *name, sandbox_dialect *out);
/* The dialect's name ("guide" for SANDBOX_DIALECT_DEFAULT). */
const char *sandbox_dialect_name(sandbox_dialect d);

/* Zero-initialised is a sensible default: any free port, the built-in dataset, no logs. */
typedef struct sandbox_options {
    int port;                     /* 0 = any free port */
    const char *scenario_path;    /* NULL = built-in dataset */
    int extra_solutions;          /* N generated solutions visible to Lucky Shrub (scale tests) */
    const char *request_log_path; /* JSON lines, optional */
    const char *events_path;      /* webhook JSON lines, optional */
    bool demo_activity;           /* a thread changes something visible every demo_interval_ms */
    int demo_interval_ms;         /* 0 = 10000 */
    bool refuse_partner_fields;   /* `partners` in fields= answers error 100 (the fallback path) */
    int latency_ms;               /* added to every request */
    bool hostile_names;           /* add solutions with escape sequences, bidi, bad UTF-8 names */
    sandbox_dialect dialect;      /* DEFAULT: the scenario's, else guide */
    const char *public_url;       /* where clients reach it (a TLS front): paging links use it;
                                     NULL = http://127.0.0.1:PORT */
} sandbox_options;

/* Starts the server on 127.0.0.1. NULL on failure with a message in err (port taken,
 * scenario file unreadable or malformed: names the file and what is wrong). */
sandbox *sandbox_start(const sandbox_options *opts, char *err, size_t err_size);
int sandbox_port(const sandbox *sb);
/* "http://127.0.0.1:PORT" (no trailing slash); valid until sandbox_stop. */
const char *sandbox_base_url(const sandbox *sb);
/* Requests answered so far (control requests excluded). */
unsigned long sandbox_request_count(sandbox *sb);
/* The dialect it speaks (never DEFAULT). */
sandbox_dialect sandbox_get_dialect(const sandbox *sb);
/* Stops the server (ending hung requests and the demo thread promptly) and frees everything.
 * NULL is fine. */
void sandbox_stop(sandbox *sb);

#endif
