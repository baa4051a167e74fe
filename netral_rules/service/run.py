"""``netral-rules serve``: the service under uvicorn, one process, until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .options import config_from, is_loopback, summary

log = logging.getLogger("netral_rules.service")


class _DeclinedUpgrades(logging.Filter):
    """Java's HttpClient (and others) offer HTTP/2 on every request (``Upgrade: h2c``); the service declines
    by answering in HTTP/1.1, as RFC 9110 allows, and uvicorn's warning about it on each request says
    nothing an operator should act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Unsupported upgrade request") or "WebSocket library" in message)


def serve(args: argparse.Namespace, rules: list[Path]) -> int:
    import uvicorn

    from .app import create_app

    config = config_from(args, rules)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not is_loopback(config.host) and not config.authenticated:
        log.warning("mendengarkan di %s tanpa token akses / listening on %s without access tokens: anyone who "
                    "reaches this address can use the service", config.host, config.host)
    log.info("configuration: %s", summary(config))
    app = create_app(config)  # loads the packs first: a PackError ends the command before listening
    logging.getLogger("uvicorn.error").addFilter(_DeclinedUpgrades())
    # h11, not httptools: httptools refuses a POST that offers an upgrade (Java's HttpClient offers h2c by
    # default) with 400 "Invalid HTTP request", where h11 declines the upgrade and answers
    server = uvicorn.Server(uvicorn.Config(
        app, host=config.host, port=config.port, log_config=None, access_log=config.access_log, http="h11",
        ws="none", timeout_keep_alive=5, timeout_graceful_shutdown=10, lifespan="on",
    ))
    server.run()
    return 0
