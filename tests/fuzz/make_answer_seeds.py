#!/usr/bin/env python3
"""Writes the seed inputs of fuzz_answer (tests/fuzz/corpus/answer/seed_*): one operation byte,
then the raw answers of the connections it opens, separated by ANSWER_SEP; 127.0.0.1:00000
stands for the harness's listener. Run it from anywhere;
the inputs libFuzzer adds beside them are kept as they are."""
import gzip
import json
import os

SEP = b"\n--next-answer--\n"
TOKEN = "EAAFuzzAnswerPathToken0123456789abcdefSECRET"  # fuzz_answer.c's access token
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "answer")
OPS = {"list": 0, "list_partner": 1, "get": 2, "partners": 3, "accept": 4, "reject": 5,
       "create": 6, "wabas": 7, "waba_solutions": 8, "token": 9, "app_details": 10, "app": 11}


def http(status, body=b"", headers=(), reason="OK", chunked=False, gz=False):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    h = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/json"] + list(headers)
    if gz:
        body = gzip.compress(body, mtime=0)
        h.append("Content-Encoding: gzip")
    if chunked:
        h.append("Transfer-Encoding: chunked")
        mid = len(body) // 2
        parts = [body[:mid], body[mid:]]
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts if p) + b"0\r\n\r\n"
    else:
        h.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def solution(sid="1234", status="INITIATED", pending="PENDING_ACTIVATION", partners=True):
    s = {"id": sid, "name": "Fuzz", "status": status, "status_for_pending_request": pending,
         "owner_app": {"id": "42", "name": "Owner"}, "owner_permissions": ["MANAGE"]}
    if partners:
        s["partners"] = {"data": [{"id": "77", "status": "NOTIFICATION_SENT",
                                   "partner_app": {"id": "21", "name": "Us"},
                                   "partner_permissions": ["DEVELOP"]}]}
    return s


def page(items, next_url=None):
    p = {"data": items, "paging": {"cursors": {"before": "QQ", "after": "QR"}}}
    if next_url:
        p["paging"]["next"] = next_url
    return p


def graph_error(code, message, subcode=None, trace="AbCdEf", transient=False):
    e = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": trace,
         "is_transient": transient}
    if subcode is not None:
        e["error_subcode"] = subcode
    return {"error": e}


NEXT = "http://127.0.0.1:00000/v25.0/21/whatsapp_business_solutions?after=QR&limit=100"
SEEDS = {
    "list_one_page": ("list", [http(200, page([solution(), solution("5678", "ACTIVE", "NONE")]))]),
    "list_two_pages": ("list", [http(200, page([solution()], NEXT)),
                                http(200, page([solution("5678")]))]),
    "list_self_link": ("list", [http(200, page([solution()], NEXT))] * 3),
    "list_partners_refused": ("list", [
        http(400, graph_error(100, "(#100) Tried accessing nonexisting field (partners)")),
        http(200, page([solution(partners=False)])),
        http(200, [{"code": 200, "body": json.dumps(page([solution()["partners"]["data"][0]]))}])]),
    "list_ignores_fields": ("list_partner", [http(200, page([solution(partners=False)])),
                                             http(200, page([solution(partners=False)]))]),
    "list_chunked_gzip": ("list", [http(200, page([solution()]), chunked=True, gz=True)]),
    "list_503_retry": ("list", [http(503, graph_error(2, "Service temporarily unavailable",
                                                      transient=True),
                                     headers=["Retry-After: 0"], reason="Service Unavailable"),
                                http(200, page([solution()]))]),
    "list_usage_headers": ("list", [http(200, page([solution()]), headers=[
        'X-App-Usage: {"call_count":95,"total_cputime":10,"total_time":12}',
        'X-Business-Use-Case-Usage: {"1":[{"type":"whatsapp","call_count":80,'
        '"estimated_time_to_regain_access":5}]}'])]),
    "get_solution": ("get", [http(200, solution())]),
    "get_token_echoed": ("get", [http(401, graph_error(
        190, "Error validating access token: " + TOKEN, 463, trace=TOKEN),
        reason="Unauthorized")]),
    "get_garbage_status": ("get", [b"HTTP/1.1 2x0 WHAT\r\nContent-Length: 2\r\n\r\n{}"]),
    "get_cut_short": ("get", [b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id\":\"1"]),
    "get_http09": ("get", [b'{"id":"1234"}']),
    "get_redirect": ("get", [http(302, "", headers=["Location: http://127.0.0.1:00000/elsewhere"],
                                  reason="Found")]),
    "partners_pages": ("partners", [
        http(200, page([solution()["partners"]["data"][0]],
                       "http://127.0.0.1:00000/v25.0/1234/partners?after=QR")),
        http(200, page([]))]),
    "accept_ok": ("accept", [http(200, solution()), http(200, {"success": True}),
                             http(200, solution(status="ACTIVE", pending="NONE"))]),
    "accept_changed": ("accept", [http(200, solution(status="ACTIVE", pending="NONE"))]),
    "accept_5xx_readback": ("accept", [http(200, solution()),
                                       http(500, graph_error(1, "An unknown error occurred"),
                                            reason="Internal Server Error"),
                                       http(200, solution(status="ACTIVE", pending="NONE"))]),
    "accept_success_string": ("accept", [http(200, solution()), http(200, {"success": "false"}),
                                         http(200, solution())]),
    "accept_reset": ("accept", [http(200, solution()), b""]),
    "reject_ok": ("reject", [http(200, {"success": True}), http(200, solution(status="REJECTED",
                                                                             pending="NONE"))]),
    "create_ok": ("create", [http(200, {"solution_id": "9999"})]),
    "create_3xx": ("create", [http(307, "", headers=["Location: /v25.0/21/x"],
                                   reason="Temporary Redirect"), http(200, page([]))]),
    "wabas_two_pages": ("wabas", [
        http(200, page([{"id": "102", "name": "Customer", "timezone_id": "7"}],
                       "http://127.0.0.1:00000/v25.0/999/client_whatsapp_business_accounts?after=Q")),
        http(200, page([{"id": "103", "name": "Customer 2"}]))]),
    "waba_solutions": ("waba_solutions", [http(200, page([solution()]))]),
    "business_token": ("token", [http(200, {"data": [{"access_token": "EAAbusiness"}]})]),
    "business_token_openapi": ("token", [http(200, {"access_token": "EAAbusiness",
                                                    "expires_at": 12345678901234567890})]),
    "app_details_fallback": ("app_details", [
        http(404, graph_error(803, "Some of the aliases you requested do not exist"),
             reason="Not Found"),
        http(200, page([{"id": "21", "name": "Us", "link": "https://example.com"}]))]),
    "app": ("app", [http(200, {"id": "21", "name": "Us \u202e\u001b[31m", "link": "x"})]),
    "rate_limited": ("app", [http(429, graph_error(4, "Application request limit reached",
                                                   transient=True),
                                  headers=["Retry-After: Wed, 21 Oct 2099 07:28:00 GMT"],
                                  reason="Too Many Requests")]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (op, answers) in SEEDS.items():
        with open(os.path.join(OUT, "seed_" + name), "wb") as f:
            f.write(bytes([OPS[op]]) + SEP.join(answers))


if __name__ == "__main__":
    main()
