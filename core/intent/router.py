"""The deterministic intent router: chat text → `Routed` (intent, confidence, arguments). No network, no model.

How a message is placed:
1. Normalise and split it into words (`text.tokenize`); a pasted or forwarded job posting goes to `job_match`.
2. Fix typos against role and intent words; find roles, skills, a window in days, a difficulty, profile verbs.
3. Score each intent with the phrase file's weighted phrases (a phrase inside a longer matched phrase of the same
   intent does not count twice), then adjust for the arguments (resources need a skill; a profile statement gives
   way to a question asked in the same message; greetings only win alone).
4. Confidence = (top − second + 1) / (top + 2). Below `MIN_SCORE` or `MIN_CONFIDENCE`, or when a needed argument is
   missing or two roles compete, the answer is `clarify` with the likely intents as options — never silence, never
   a confident guess. A follow-up ("and for backend?", "what about last 90 days?") repeats the chat's last intent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.intent.context import ANALYSIS_INTENTS, ChatContext, Intent, Routed
from core.intent.jobpost import JobPostDetector
from core.intent.phrases import Phrases
from core.intent.spotting import RoleSpotter, SkillSpotter, Span, TypoFixer, parse_days, parse_difficulty
from core.intent.text import Match, PhraseTable, Tokens, tokenize
from core.models import Difficulty
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy

MIN_SCORE = 2.0
MIN_CONFIDENCE = 0.5
FOLLOWUP_CONFIDENCE = 0.8
MAX_WORDS = 150
DEFAULT_OPTIONS = (Intent.TRENDING, Intent.GAP, Intent.ROADMAP, Intent.RESOURCES, Intent.PROJECTS)
ADD, REMOVE, TARGET = "add", "remove", "target_role"


@dataclass(frozen=True)
class Arguments:
    """What a message names, before the intent decides which of it to use."""

    tokens: Tokens
    roles: list[Span]
    skills: list[Span]
    days: int | None
    difficulty: Difficulty | None
    profile: list[Match]
    followup: bool

    @property
    def role_names(self) -> list[str]:
        return list(dict.fromkeys(span.value.name for span in self.roles))

    def skill_names(self, spans: Sequence[Span] | None = None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(span.value.name for span in (self.skills if spans is None else spans)))

    def skills_outside_roles(self) -> tuple[str, ...]:
        return self.skill_names([s for s in self.skills if not any(s.overlaps(r) for r in self.roles)])

    def topic_skills(self, markers: frozenset[str], articles: frozenset[str]) -> tuple[str, ...]:
        """Skills, counting a word that also names a role ("backend") as a skill unless it follows "for"/"become"/..."""
        return self.skill_names([s for s in self.skills if not any(s.overlaps(r) for r in self.roles) or not _marked(self.tokens.lows, s.start, markers, articles)])

    @property
    def empty(self) -> bool:
        return not (self.roles or self.skills or self.days or self.difficulty)


class IntentRouter:
    """Places free-text chat messages; build one per process and share it (routing keeps no state)."""

    def __init__(self, taxonomy: Taxonomy, roles: RoleCatalog, phrases: Phrases | None = None) -> None:
        self.phrases = phrases or Phrases.load("en")
        self._roles = RoleSpotter(roles, self.phrases)
        self._skills = SkillSpotter(taxonomy, self.phrases)
        self._typos = TypoFixer(self.phrases, self._roles, self._skills)
        self._job_posts = JobPostDetector(self.phrases, self._skills)
        self._verbs = {key: kind for kind in (TARGET, REMOVE, ADD) for key in self.phrases.profile.get(kind, PhraseTable()).keys()}

    def route(self, text: str, context: ChatContext | None = None) -> Routed:
        text, context = text or "", context or ChatContext()
        tokens = tokenize(text, self.phrases.normaliser, keep=self._skills.keeps)
        evidence = self._job_posts.detect(text, tokens.lows, context.forwarded)
        if evidence is not None:
            return Routed(Intent.JOB_MATCH, round(evidence / (evidence + 1), 2), text=text)
        # A question is short; a long text that is not a posting is judged by its beginning, within the time budget.
        head = Tokens(tokens.lows[:MAX_WORDS], tokens.origs[:MAX_WORDS])
        args = self._arguments(self._typos.apply(head))
        return self._decide(text, args, self._scores(args), context)

    # --- arguments and scores ---------------------------------------------------------------------------

    def _arguments(self, tokens: Tokens) -> Arguments:
        lows = tokens.lows
        followup = any(match.start == 0 for match in self.phrases.followup.longest(lows[:3]))
        profile = _outermost([m for table in self.phrases.profile.values() for m in table.find(lows)])
        return Arguments(
            tokens=tokens, roles=self._roles.spans(lows), skills=self._skills.spans(tokens),
            days=parse_days(lows, self.phrases), difficulty=parse_difficulty(lows, self.phrases.difficulty),
            profile=profile, followup=followup,
        )

    def _scores(self, args: Arguments) -> dict[Intent, float]:
        lows = args.tokens.lows
        joined = " ".join(lows)
        scores: dict[Intent, float] = {}
        for name, table in self.phrases.intents.items():
            score = sum(match.value for match in _outermost(table.find(lows)))
            score += sum(weight for pattern, weight in self.phrases.patterns.get(name, ()) if pattern.search(joined))
            if score:
                scores[Intent(name)] = float(score)
        _adjust(scores, args, bool(args.topic_skills(self.phrases.target_markers, self.phrases.articles)))
        return scores

    # --- decisions ------------------------------------------------------------------------------------------

    def _decide(self, text: str, args: Arguments, scores: dict[Intent, float], context: ChatContext) -> Routed:
        if scores.get(Intent.HELP, 0) >= MIN_SCORE and len(scores) == 1 and not (args.roles or args.skills):
            return Routed(Intent.HELP, _confidence(scores[Intent.HELP], 0), text=text)
        scores.pop(Intent.HELP, None)
        if args.followup and not any(score >= MIN_SCORE for score in scores.values()) and not args.empty:
            return self._followup(text, args, context)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        top = ranked[0][1] if ranked else 0.0
        confidence = _confidence(top, ranked[1][1] if len(ranked) > 1 else 0.0)
        if top < MIN_SCORE or confidence < MIN_CONFIDENCE:
            return self._clarify(text, args, [intent for intent, _ in ranked], confidence)
        return self._complete(ranked[0][0], confidence, text, args, context if args.followup else None)

    def _complete(self, intent: Intent, confidence: float, text: str, args: Arguments, context: ChatContext | None) -> Routed:
        if intent is Intent.JOB_MATCH:
            return self._clarify(text, args, [Intent.JOB_MATCH], 0.0, key="job_match")
        if intent is Intent.PROFILE_UPDATE:
            return self._profile_update(confidence, text, args)
        if intent is Intent.RESOURCES:
            return self._resources(confidence, text, args)
        role, choices = self._pick_role(args)
        if choices:
            return self._clarify(text, args, [intent], 0.0, key="roles")
        remembered = context if context is not None and context.intent is not None else None
        return Routed(
            intent, confidence, role=role or (remembered.role if remembered else None),
            skills=args.skills_outside_roles(), days=args.days or (remembered.days if remembered else None),
            difficulty=args.difficulty, followup=remembered is not None, text=text,
        )

    def _resources(self, confidence: float, text: str, args: Arguments) -> Routed:
        skills = args.skill_names()
        if skills:  # "where to study machine learning": the skill, not the role
            return Routed(Intent.RESOURCES, confidence, skills=skills, days=args.days, difficulty=args.difficulty, text=text)
        if args.roles:
            return self._complete(Intent.ROADMAP, confidence, text, args, None)
        return self._clarify(text, args, [Intent.RESOURCES], 0.0, key="resources")

    def _profile_update(self, confidence: float, text: str, args: Arguments) -> Routed:
        targets = [span for span in args.roles if any(m.end <= span.start and self._verbs[m.key] == TARGET for m in args.profile)]
        claimed = targets[:1]
        add, remove = [], []
        for span in args.skills:
            if any(span.overlaps(role) for role in claimed):
                continue
            (remove if self._verb_before(span, args) == REMOVE else add).append(span.value.name)
        target = claimed[0].value.name if claimed else None
        if not (add or remove or target):
            return self._clarify(text, args, [Intent.PROFILE_UPDATE], 0.0, key="profile")
        return Routed(Intent.PROFILE_UPDATE, confidence, add_skills=tuple(dict.fromkeys(add)),
                      remove_skills=tuple(dict.fromkeys(remove)), target_role=target, text=text)

    def _verb_before(self, span: Span, args: Arguments) -> str:
        """The add/remove verb a skill belongs to: the nearest one before it, else the first one."""
        verbs = [(m.start, self._verbs[m.key]) for m in args.profile if self._verbs[m.key] in (ADD, REMOVE)]
        before = [kind for start, kind in verbs if start < span.start]
        if before:
            return before[-1]
        return verbs[0][1] if verbs else ADD

    def _pick_role(self, args: Arguments) -> tuple[str | None, tuple[str, ...]]:
        """The one role the message is about, or the competing roles when it names several without saying which."""
        names = args.role_names
        if len(names) <= 1:
            return (names[0] if names else None), ()
        lows = args.tokens.lows
        marked = [span.value.name for span in args.roles if _marked(lows, span.start, self.phrases.target_markers, self.phrases.articles)]
        if len(set(marked)) == 1:
            return marked[0], ()
        return None, tuple(names)

    def _followup(self, text: str, args: Arguments, context: ChatContext) -> Routed:
        if context.intent is None:
            return self._clarify(text, args, [], 0.0, key="followup")
        role, choices = self._pick_role(args)
        if choices:
            return self._clarify(text, args, [context.intent], 0.0, key="roles")
        skills = args.skill_names() if context.intent is Intent.RESOURCES else args.skills_outside_roles()
        return Routed(
            context.intent, FOLLOWUP_CONFIDENCE, role=role or context.role, skills=skills or context.skills,
            days=args.days or context.days, difficulty=args.difficulty, followup=True, text=text,
        )

    def _clarify(self, text: str, args: Arguments, likely: list[Intent], confidence: float, key: str | None = None) -> Routed:
        roles = args.role_names
        skills = args.skills_outside_roles() if roles else args.skill_names()
        options = tuple(i for i in likely if i is not Intent.HELP)[:3] or _default_options(bool(roles), bool(skills))
        if key is None:
            key = "roles" if len(roles) > 1 else "role" if roles else "skills" if skills else "default"
        question = self.phrases.question(key, role=roles[0] if roles else "", roles=" or ".join(roles), skills=", ".join(skills))
        return Routed(
            Intent.CLARIFY, round(min(confidence, MIN_CONFIDENCE - 0.01), 2), role=roles[0] if len(roles) == 1 else None,
            skills=skills, days=args.days, difficulty=args.difficulty, options=options, question=question,
            role_options=tuple(roles) if len(roles) > 1 else (), text=text,
        )


def _adjust(scores: dict[Intent, float], args: Arguments, has_topic: bool) -> None:
    """Argument-aware corrections that hold in any language."""
    if Intent.RESOURCES in scores and not has_topic and args.roles:
        scores[Intent.ROADMAP] = scores.get(Intent.ROADMAP, 0.0) + 1
        scores[Intent.RESOURCES] -= 1
    asked = any(scores.get(intent, 0.0) >= MIN_SCORE for intent in ANALYSIS_INTENTS)
    if asked:
        scores.pop(Intent.PROFILE_UPDATE, None)  # "I know Python — what am I missing?" is a question
    if asked or args.roles or args.skills:
        scores.pop(Intent.HELP, None)
    for intent in [intent for intent, score in scores.items() if score <= 0]:
        del scores[intent]


def _marked(lows: Sequence[str], start: int, markers: frozenset[str], articles: frozenset[str]) -> bool:
    """Whether the words before `start` (skipping articles) end with a target marker ("become a", "for")."""
    index = start - 1
    while index >= 0 and lows[index] in articles:
        index -= 1
    return index >= 0 and lows[index] in markers


def _outermost(matches: list[Match]) -> list[Match]:
    """Drops matches that lie inside a longer match ("hot" inside "what's hot")."""
    return [m for m in matches if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in matches)]


def _confidence(top: float, second: float) -> float:
    return round(max(0.0, min(1.0, (top - second + 1) / (top + 2))), 2) if top else 0.0


def _default_options(role: bool, skills: bool) -> tuple[Intent, ...]:
    if role and skills:
        return (Intent.GAP, Intent.ROADMAP, Intent.RESOURCES)
    if role:
        return (Intent.GAP, Intent.ROADMAP, Intent.TRENDING)
    if skills:
        return (Intent.RESOURCES, Intent.PROJECTS, Intent.TRENDING)
    return DEFAULT_OPTIONS

