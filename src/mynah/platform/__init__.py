"""Running mynah for other people: API keys, usage and cost, limits, metrics, audio quality, a speech cache.

keys        KeyStore: keys made once, stored as hashes, with scopes, expiry, limits, defaults
auth        the scope each route needs; Authenticator.authenticate(scope), headers only
limits      Limiter: requests/minute, concurrent streams, characters and audio per day (`limits`,
            in memory or on Redis)
usage       UsageMeter: every request metered once, written in batches; reports with costs
metrics     Prometheus metrics of one app
context     the request in progress: its id (in logs and error bodies) and what it used
middleware  the gate: request id, key, limits before the body; metering after the response
hooks       what the routes tell the platform (engine, voice, characters, audio seconds)
service     Platform (all of the above for one server) and install(app, settings)
routes      /v1/mynah/keys, /v1/mynah/usage, /metrics
"""

from mynah.platform.keys import SCOPES, ApiKey, CreatedKey, KeyStore
from mynah.platform.service import Platform, install
from mynah.platform.usage import UsageEvent, UsageMeter

__all__ = ["SCOPES", "ApiKey", "CreatedKey", "KeyStore", "Platform", "UsageEvent", "UsageMeter", "install"]
