"""Data model and parsing helpers for the in-process Bot API stand-in (`bot.offline.local_api`).

Everything here is plain Python with no I/O, so the server module can stay about routing,
state and synchronisation. Shapes follow the Bot API's JSON exactly, because the consumer is
the real python-telegram-bot, which rejects objects missing required fields.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]
Files = dict[str, tuple[str, bytes]]  # multipart field -> (filename, content)

# PTB posts every parameter as a form field and JSON-encodes the non-string ones; we decode by
# name rather than by guessing, so that a text like "123" or "true" stays a string.
JSON_FIELDS = frozenset(
    [
        "reply_markup",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "allowed_updates",
        "menu_button",
        "media",
        "rights",
        "permissions",
    ]
)
INT_FIELDS = frozenset(
    [
        "chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "from_chat_id",
        "until_date",
        "max_connections",
    ]
)
BOOL_FIELDS = frozenset(
    [
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "has_spoiler",
        "revoke_messages",
        "only_if_banned",
        "for_channels",
    ]
)

# Telegram's limits, counted on the visible text (after HTML entity parsing) in UTF-16 units.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes of UTF-8
MAX_CALLBACK_ANSWER = 200


class ApiError(Exception):
    """A Bot API error response: becomes `{"ok": false, ...}` with the given HTTP status."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class LimitExceeded(ApiError):
    """A 400 for a text, caption, button or alert beyond Telegram's limits.

    Kept apart from other refusals so the stand-in can record every one: a test asserts that
    none happened, because in production each is a reply the person never sees.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(400, f"Bad Request: {reason}")


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def decode_value(name: str, value: Any) -> Any:
    """Turn one transported parameter back into its Bot API value."""
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc
    if name in INT_FIELDS:
        # chat_id may legitimately be "@channelusername"
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if name in BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def utf16_len(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "zh-hans"
    last_name: str | None = None
    started: bool = False
    blocked: bool = False

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class Chat:
    id: int
    type: str  # "private" | "group" | "supergroup" | "channel"
    title: str | None = None
    user: User | None = None  # the other party of a private chat
    creator: int | None = None
    admins: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    bot_is_admin: bool = True
    bot_left: bool = False
    migrated_to: int | None = None

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data.update({k: v for k, v in self.user.to_dict().items() if k in _PRIVATE_CHAT_KEYS})
        elif self.title is not None:
            data["title"] = self.title
        return data

    def status_of(self, user_id: int) -> str:
        if self.type == "private":
            return "member"
        if user_id == self.creator:
            return "creator"
        if user_id in self.admins:
            return "administrator"
        return "member" if user_id in self.members else "left"


_PRIVATE_CHAT_KEYS = ("first_name", "last_name", "username")


def member_dict(user: JSONDict, status: str) -> JSONDict:
    """A ChatMember object with every field PTB requires for that status."""
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = dict.fromkeys(_ADMIN_RIGHTS, True)
        return {
            "status": status,
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
        } | rights
    return {"status": status, "user": user}


_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


@dataclass
class StoredFile:
    """A file the server holds, whether a user uploaded it or the bot sent it."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None
    mime_type: str | None
    file_path: str

    def document_dict(self) -> JSONDict:
        doc: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.filename:
            doc["file_name"] = self.filename
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def photo_sizes(self) -> list[JSONDict]:
        # The bytes are not decoded as an image; a fixed size keeps PhotoSize valid.
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.data),
                "width": 800,
                "height": 600,
            }
        ]


Button = tuple[str, str | None]  # (text, callback_data or url)


@dataclass
class SentMessage:
    """What the bot sent (and later edited) — the thing e2e tests assert on.

    For documents and photos `text`/`raw_text` hold the caption, so that "what the person sees"
    can be matched the same way for every kind of message.
    """

    chat_id: int
    message_id: int
    method: str
    text: str = ""
    raw_text: str = ""
    parse_mode: str | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    keyboard: list[list[str]] = field(default_factory=list)  # a reply keyboard, if any
    reply_markup: JSONDict | None = None
    document: tuple[str, bytes] | None = None
    photo: bytes | None = None
    caption: str | None = None
    reply_to_message_id: int | None = None
    edits: int = 0
    history: list[str] = field(default_factory=list)  # earlier plain texts, oldest first
    deleted: bool = False
    seq: int = 0  # global change counter; `LocalBotAPI.mark()` compares against it

    @property
    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]

    def button(self, text: str) -> Button | None:
        for row in self.buttons:
            for button in row:
                if button[0] == text:
                    return button
        return None


@dataclass
class ApiCall:
    """One HTTP call the bot made, decoded; `error` is set when the server refused it."""

    method: str
    params: JSONDict
    files: Files
    error: str | None = None
    at: float = 0.0


@dataclass
class Fault:
    status: int
    description: str
    parameters: JSONDict | None
    remaining: int | None  # None = every call


def parse_buttons(markup: JSONDict | None) -> tuple[list[list[Button]], list[list[str]]]:
    """Inline buttons as (text, callback_data|url) rows, plus reply-keyboard rows."""
    if not markup:
        return [], []
    inline: list[list[Button]] = []
    for row in markup.get("inline_keyboard", []):
        out: list[Button] = []
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("can't parse inline keyboard button: text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise LimitExceeded("BUTTON_DATA_INVALID")
            target = data if data is not None else button.get("url")
            if target is None and not _OTHER_BUTTON_KINDS.intersection(button):
                raise bad_request("can't parse inline keyboard button: unknown button type")
            out.append((button["text"], target))
        inline.append(out)
    keyboard = [
        [b if isinstance(b, str) else b.get("text", "") for b in row]
        for row in markup.get("keyboard", [])
    ]
    return inline, keyboard


_OTHER_BUTTON_KINDS = frozenset(
    {"switch_inline_query", "switch_inline_query_current_chat", "login_url", "web_app", "pay"}
)


def command_entities(text: str) -> list[JSONDict]:
    """A `bot_command` entity for a leading /command, as Telegram adds and PTB requires."""
    match = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?", text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def button_texts_of(msg: JSONDict, by_id: dict[tuple[int, int], SentMessage]) -> list[str]:
    inline = [
        b["text"] for row in msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row
    ]
    sent = by_id.get((msg["chat"]["id"], msg["message_id"]))
    keyboard = [t for row in sent.keyboard for t in row] if sent else []
    return inline + keyboard


def required(params: JSONDict, name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    return value


def checked_text(params: JSONDict, name: str, limit: int) -> tuple[str, list[JSONDict]]:
    """Validate a text or caption in its parse mode; return its plain text and entities."""
    raw = params.get(name)
    what = "message text" if name == "text" else "message caption"
    if not raw:
        raise bad_request(f"{what} is empty")
    plain, entities = render_text(str(raw), params.get("parse_mode"))
    if not params.get("parse_mode") and isinstance(params.get(entities_param(name)), list):
        entities = params[entities_param(name)]
    if not plain.strip():
        raise bad_request(f"{what} is empty")
    if utf16_len(plain) > limit:
        raise LimitExceeded(
            "message is too long" if name == "text" else "message caption is too long"
        )
    return plain, entities


def entities_param(name: str) -> str:
    return "entities" if name == "text" else "caption_entities"


def scope_key(scope: JSONDict) -> str:
    return json.dumps(scope, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------------------------
# HTML parse mode: Telegram rejects unknown tags, unbalanced tags and bare '<' / '&'. Catching
# that here is the point: a bot that forgets to escape a user's "<3" fails in tests, not in prod.

_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)"
    r"\s*/?>"
)
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Validate Telegram HTML; return the plain text and its entities (UTF-16 offsets)."""
    plain: list[str] = []
    offset = 0  # UTF-16 position in the plain text
    stack: list[tuple[str, int, JSONDict]] = []
    entities: list[JSONDict] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "&":
            match = _ENTITY_RE.match(text, pos)
            if not match:
                raise _entity_error(f"Unsupported HTML entity at byte offset {_bytes(text, pos)}")
            piece = html.unescape(match.group(0))
        elif char == "<":
            match = _TAG_RE.match(text, pos)
            if not match:
                raise _entity_error(
                    f"Unsupported start tag at byte offset {_bytes(text, pos)}"
                    " (a bare '<' must be written as &lt;)"
                )
            closing, name, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = f'"</{stack[-1][0]}>"' if stack else "nothing"
                    raise _entity_error(
                        f"Unmatched end tag at byte offset {_bytes(text, pos)}, "
                        f'expected {expected}, found "</{name}>"'
                    )
                _, start, entity = stack.pop()
                if entity and offset > start:
                    entities.append({**entity, "offset": start, "length": offset - start})
            else:
                stack.append((name, offset, _open_tag(name, attrs, text, pos, stack)))
            pos = match.end()
            continue
        else:
            piece = char
            match = None
        plain.append(piece)
        offset += utf16_len(piece)
        pos = match.end() if match else pos + 1
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def _open_tag(
    name: str, attrs: str, text: str, pos: int, stack: list[tuple[str, int, JSONDict]]
) -> JSONDict:
    if name not in _TAG_TYPES:
        raise _entity_error(f'Unsupported start tag "{name}" at byte offset {_bytes(text, pos)}')
    values = {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR_RE.finditer(attrs)
    }
    entity: JSONDict = {"type": _TAG_TYPES[name]}
    if name == "span" and values.get("class") != "tg-spoiler":
        raise _entity_error(f'Unsupported start tag "span" at byte offset {_bytes(text, pos)}')
    if name == "a":
        url = values.get("href", "")
        if mention := re.fullmatch(r"tg://user\?id=(\d+)", url):
            user_id = int(mention.group(1))
            user = {"id": user_id, "is_bot": False, "first_name": str(user_id)}
            entity = {"type": "text_mention", "user": user}
        else:
            entity["url"] = url
    elif name == "tg-emoji":
        if "emoji-id" not in values:
            raise _entity_error("Custom emoji identifier must be specified")
        entity["custom_emoji_id"] = values["emoji-id"]
    elif name == "blockquote" and "expandable" in values:
        entity["type"] = "expandable_blockquote"
    elif name == "code" and stack and stack[-1][0] == "pre":
        # <pre><code class="language-x"> is one `pre` entity carrying the language
        if "class" in values:
            stack[-1][2]["language"] = values["class"].removeprefix("language-")
        entity = {}
    return entity


def _bytes(text: str, pos: int) -> int:
    return len(text[:pos].encode())


def _entity_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def render_text(raw: str, parse_mode: str | None) -> tuple[str, list[JSONDict]]:
    """Plain text and entities for a message or caption in the given parse mode."""
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(raw)
    # Markdown modes are stored as-is: the project renders HTML, so we do not emulate them.
    return raw, []
