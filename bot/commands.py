"""The bot's command contract: names, menu descriptions, usage lines and examples (one source for /help,
`set_my_commands` and the usage help every malformed call gets)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    usage: str
    examples: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command("start", "Set up your profile (or link an account with a code)", "/start [code]"),
    Command("help", "What I can do", "/help"),
    Command("profile", "Your profile, with buttons to edit it", "/profile"),
    Command("skills", "Show, add or remove your skills", "/skills [add|remove|clear] [skills]", ("/skills add Python, SQL, k8s", "/skills remove Java")),
    Command("role", "Set your target role", "/role [role]", ("/role data scientist", "/role backend, devops")),
    Command("level", "Set your experience level", "/level [junior|mid|senior|lead]", ("/level senior",)),
    Command("location", "Set where you want to work", "/location [place|clear]", ("/location Berlin", "/location remote")),
    Command("timezone", "Your timezone, for when the weekly digest arrives", "/timezone [zone]", ("/timezone Europe/Berlin", "/timezone america/new_york", "/timezone UTC")),
    Command("trending", "Top and rising skills in the job market", "/trending [role] [days]", ("/trending", "/trending data engineer 90")),
    Command("gap", "Your skill gap for a role", "/gap [role]", ("/gap", "/gap ml engineer")),
    Command("roadmap", "What to learn next, in order", "/roadmap [role]", ("/roadmap", "/roadmap frontend")),
    Command("projects", "Practice projects that fit your skills", "/projects [beginner|intermediate|advanced]", ("/projects", "/projects beginner")),
    Command("resources", "Learning resources for a skill", "/resources <skill>", ("/resources docker", "/resources python, sql")),
    Command("link", "Link accounts (Telegram, assistants, CLI)", "/link [code]"),
    Command("token", "A personal token for AI assistants (MCP)", "/token [days] | /token list | /token revoke [id]", ("/token", "/token 90", "/token revoke")),
    Command("digest", "Weekly digest: on, off, now or preview", "/digest [on|off] | /digest now | /digest preview", ("/digest on", "/digest preview")),
    Command("delete", "Delete your account and all your data", "/delete"),
)

BY_NAME = {command.name: command for command in COMMANDS}


def usage(name: str) -> str | None:
    """The usage line plus examples for a command, or None for names that are not commands."""
    command = BY_NAME.get(name)
    if command is None:
        return None
    lines = [f"Usage: {command.usage}"]
    if command.examples:
        lines.append("Examples: " + "  ".join(command.examples))
    return "\n".join(lines)
