"""Kept for imports from before the transport module: the HTTP client and address guard live in
`etl.crawl.transport`, the only module that speaks HTTP."""

from etl.crawl.transport import (  # noqa: F401 - re-exported
    PROJECT_URL, ROBOTS_AGENT, AddressRefused, build_client, check_host, default_user_agent, is_address_refusal,
    non_public_reason, resolve,
)
