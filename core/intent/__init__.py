"""Free-text chat messages → intents and arguments, deterministically (issue 9).

    router = IntentRouter(nav.taxonomy, nav.roles)          # once per process
    routed = router.route(text, chat_context)               # < 5 ms, never raises
    chat_context.update(routed)

See `router` for how a message is placed and `data/intents/en.json` for the English phrase lists.
"""

from core.intent.context import ANALYSIS_INTENTS, ChatContext, Intent, Routed
from core.intent.phrases import Phrases
from core.intent.router import IntentRouter

__all__ = ["ANALYSIS_INTENTS", "ChatContext", "Intent", "IntentRouter", "Phrases", "Routed"]
