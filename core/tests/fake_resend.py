"""A local stand-in for Resend's HTTP API: POST /emails, answered in Resend's wire format."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeResend:
    def __init__(self, api_key: str = "re_test_key") -> None:
        self.api_key = api_key
        self.sent: list[dict[str, Any]] = []
        self.fail_next = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                if self.headers.get("Authorization") != f"Bearer {outer.api_key}":
                    self._reply(
                        401,
                        {
                            "statusCode": 401,
                            "name": "validation_error",
                            "message": "API key is invalid",
                        },
                    )
                    return
                if self.path != "/emails":
                    self._reply(
                        404, {"statusCode": 404, "name": "not_found", "message": "Not found"}
                    )
                    return
                if outer.fail_next:
                    outer.fail_next -= 1
                    self._reply(
                        500,
                        {
                            "statusCode": 500,
                            "name": "application_error",
                            "message": "Internal server error",
                        },
                    )
                    return
                missing = [f for f in ("from", "to", "subject") if not payload.get(f)]
                if missing:
                    self._reply(
                        422,
                        {
                            "statusCode": 422,
                            "name": "missing_required_field",
                            "message": f"Missing `{missing[0]}` field.",
                        },
                    )
                    return
                outer.sent.append(payload)
                self._reply(200, {"id": str(uuid.uuid4())})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeResend:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
