"""The Bot API side of the local stand-in (bot/local_api.py): one coroutine per method the
bot calls, answering with the JSON shapes and the errors real Telegram gives.

Mixed into `LocalBotAPI`, which owns the state these read and change (people, chats, the
record of what was sent, the update queue); kept apart so that each file reads as one thing.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import mimetypes
from collections.abc import Awaitable, Callable
from typing import Any

from bot.offline.local_api_models import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_TEXT,
    ApiError,
    Chat,
    Files,
    JSONDict,
    LimitExceeded,
    SentMessage,
    StoredFile,
    bad_request,
    checked_text,
    forbidden,
    member_dict,
    parse_buttons,
    required,
    scope_key,
    utf16_len,
)

Handler = Callable[[JSONDict, Files], Awaitable[Any]]
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def shallow(msg: JSONDict) -> JSONDict:
    """A copy for `reply_to_message`: Telegram never nests replies more than one level."""
    return {k: copy.deepcopy(v) for k, v in msg.items() if k != "reply_to_message"}


class BotApiMethods:
    """The methods `LocalBotAPI` serves at /bot<token>/<method>."""

    def _method_table(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            "logOut": self._ok,
            "close": self._ok,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMemberCount": self._get_chat_member_count,
            "getFile": self._get_file,
            "leaveChat": self._leave_chat,
            # Accepted and recorded (see calls()); nothing observable to simulate.
            "setMyDescription": self._ok,
            "setMyShortDescription": self._ok,
            "setMyName": self._ok,
            "pinChatMessage": self._ok,
            "unpinChatMessage": self._ok,
        }

    async def _ok(self, params: JSONDict, files: Files) -> bool:
        return True

    async def _get_me(self, params: JSONDict, files: Files) -> JSONDict:
        return self._bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict, files: Files) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        if "allowed_updates" in params:
            self._allowed = frozenset(params["allowed_updates"]) or None
        # Like Telegram, a new long poll terminates the previous one with 409 Conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._confirm(params.get("offset"))
            batch = [u for u in self._updates if self._is_allowed(u)][:limit]
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_event.wait(), remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        if batch:
            self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
            self.delivered.update(u["update_id"] for u in batch)
            self._touch()
        return batch

    async def _set_webhook(self, params: JSONDict, files: Files) -> bool:
        self.webhook_url = required(params, "url")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: JSONDict, files: Files) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict, files: Files) -> JSONDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _send_message(self, params: JSONDict, files: Files) -> Any:
        chat = self._sending_chat(params)
        plain, entities = checked_text(params, "text", MAX_TEXT)
        msg = self._outgoing(chat, params)
        msg["text"] = plain
        if entities:
            msg["entities"] = entities
        if "link_preview_options" in params:
            msg["link_preview_options"] = params["link_preview_options"]
        self._record(msg, "sendMessage", params, text=plain, raw=params["text"])
        return msg

    async def _send_document(self, params: JSONDict, files: Files) -> Any:
        return self._send_media("sendDocument", "document", params, files)

    async def _send_photo(self, params: JSONDict, files: Files) -> Any:
        return self._send_media("sendPhoto", "photo", params, files)

    def _send_media(self, method: str, kind: str, params: JSONDict, files: Files) -> JSONDict:
        chat = self._sending_chat(params)
        stored = self._media_input(kind, params, files)
        caption, entities = "", []
        if params.get("caption"):
            caption, entities = checked_text(params, "caption", MAX_CAPTION)
        msg = self._outgoing(chat, params)
        if kind == "photo":
            msg["photo"] = stored.photo_sizes()
        else:
            msg["document"] = stored.document_dict()
        if caption:
            msg["caption"] = caption
            if entities:
                msg["caption_entities"] = entities
        sent = self._record(msg, method, params, text=caption, raw=params.get("caption", ""))
        sent.caption = caption or None
        if kind == "photo":
            sent.photo = stored.data
        else:
            sent.document = (stored.filename or "", stored.data)
        return msg

    async def _edit_message_text(self, params: JSONDict, files: Files) -> Any:
        msg, sent = self._editable(params)
        plain, entities = checked_text(params, "text", MAX_TEXT)
        self._apply_edit(msg, sent, params, "text", plain, entities)
        return msg

    async def _edit_message_caption(self, params: JSONDict, files: Files) -> Any:
        msg, sent = self._editable(params)
        caption, entities = "", []
        if params.get("caption"):
            caption, entities = checked_text(params, "caption", MAX_CAPTION)
        self._apply_edit(msg, sent, params, "caption", caption, entities)
        sent.caption = caption or None
        return msg

    async def _edit_message_reply_markup(self, params: JSONDict, files: Files) -> Any:
        msg, sent = self._editable(params)
        field = "text" if "text" in msg else "caption"
        entities = msg.get("entities" if field == "text" else "caption_entities", [])
        self._apply_edit(msg, sent, params, field, msg.get(field, ""), entities, keep_text=True)
        return msg

    async def _delete_message(self, params: JSONDict, files: Files) -> bool:
        key = (required(params, "chat_id"), required(params, "message_id"))
        if self._messages.pop(key, None) is None:
            raise bad_request("message to delete not found")
        if (sent := self._by_id.get(key)) is not None:
            sent.deleted = True
            self._changed(sent)
        return True

    async def _answer_callback_query(self, params: JSONDict, files: Files) -> bool:
        query_id = str(required(params, "callback_query_id"))
        if query_id not in self._callback_queries or query_id in self.answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if utf16_len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise LimitExceeded("MESSAGE_TOO_LONG")
        self.answers[query_id] = params
        return True

    async def _send_chat_action(self, params: JSONDict, files: Files) -> bool:
        self._sending_chat(params)
        required(params, "action")
        return True

    async def _set_my_commands(self, params: JSONDict, files: Files) -> bool:
        commands = required(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _delete_my_commands(self, params: JSONDict, files: Files) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSONDict, files: Files) -> Any:
        return self.commands.get(self._commands_key(params), [])

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        return scope_key(params.get("scope") or {"type": "default"}), params.get(
            "language_code", ""
        )

    async def _set_chat_menu_button(self, params: JSONDict, files: Files) -> bool:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button", {"type": "default"})
        return True

    async def _get_chat_menu_button(self, params: JSONDict, files: Files) -> JSONDict:
        return self.menu_buttons.get(params.get("chat_id"), {"type": "default"})

    async def _get_chat(self, params: JSONDict, files: Files) -> JSONDict:
        chat = self._known_chat(params)
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return chat.to_dict() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), False),
        }

    async def _get_chat_member(self, params: JSONDict, files: Files) -> JSONDict:
        chat = self._known_chat(params)
        user_id = required(params, "user_id")
        if user_id == self.bot_id:
            status = "administrator" if chat.bot_is_admin and not chat.bot_left else "member"
            return member_dict(self._bot_user, "left" if chat.bot_left else status)
        status = chat.status_of(user_id)
        if user_id not in self.users and status == "left":
            raise bad_request("user not found")
        return member_dict(self._user_dict(user_id), status)

    async def _get_chat_administrators(self, params: JSONDict, files: Files) -> list[JSONDict]:
        chat = self._known_chat(params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        ids = ([chat.creator] if chat.creator is not None else []) + sorted(chat.admins)
        result = [member_dict(self._user_dict(i), chat.status_of(i)) for i in dict.fromkeys(ids)]
        if chat.bot_is_admin:
            result.append(member_dict(self._bot_user, "administrator"))
        return result

    async def _get_chat_member_count(self, params: JSONDict, files: Files) -> int:
        chat = self._known_chat(params)
        if chat.type == "private":
            return 2
        people = chat.members | chat.admins | ({chat.creator} if chat.creator else set())
        return len(people) + (0 if chat.bot_left else 1)

    async def _get_file(self, params: JSONDict, files: Files) -> JSONDict:
        stored = self._files.get(str(required(params, "file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _leave_chat(self, params: JSONDict, files: Files) -> bool:
        chat = self._known_chat(params)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        chat.bot_left = True
        return True

    def _known_chat(self, params: JSONDict) -> Chat:
        chat_id = required(params, "chat_id")
        try:
            chat = self.chat(chat_id) if isinstance(chat_id, int) else None
        except LookupError:
            chat = None
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _sending_chat(self, params: JSONDict) -> Chat:
        """The target chat, if the bot may write there (Telegram's 403 rules)."""
        chat = self._known_chat(params)
        if chat.type == "private" and chat.user is not None:
            if chat.user.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.user.started:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.bot_left:
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def _outgoing(self, chat: Chat, params: JSONDict) -> JSONDict:
        """A bot message with its reply target and inline keyboard, not yet recorded."""
        markup = params.get("reply_markup")
        parse_buttons(markup)  # validate before the message takes an id
        reply = params.get("reply_parameters") or {}
        if "reply_to_message_id" in params:
            reply = {"message_id": params["reply_to_message_id"]}
        target = None
        if reply:
            target = self._messages.get((reply.get("chat_id", chat.id), reply["message_id"]))
            if target is None and not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        msg = self._message_stub(chat) | {"from": self._bot_user}
        if target is not None:
            msg["reply_to_message"] = shallow(target)
        if markup and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        return msg

    def _record(
        self, msg: JSONDict, method: str, params: JSONDict, *, text: str, raw: str
    ) -> SentMessage:
        buttons, keyboard = parse_buttons(params.get("reply_markup"))
        reply = msg.get("reply_to_message")
        sent = SentMessage(
            chat_id=msg["chat"]["id"],
            message_id=msg["message_id"],
            method=method,
            text=text,
            raw_text=raw,
            parse_mode=params.get("parse_mode"),
            buttons=buttons,
            keyboard=keyboard,
            reply_markup=params.get("reply_markup"),
            reply_to_message_id=reply["message_id"] if reply else None,
        )
        key = (sent.chat_id, sent.message_id)
        self._messages[key] = msg
        self._by_id[key] = sent
        self.sent.append(sent)
        self._changed(sent)
        return sent

    def _editable(self, params: JSONDict) -> tuple[JSONDict, SentMessage]:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the local Bot API")
        key = (required(params, "chat_id"), required(params, "message_id"))
        msg = self._messages.get(key)
        if msg is None:
            raise bad_request("message to edit not found")
        if msg.get("from", {}).get("id") != self.bot_id or key not in self._by_id:
            raise bad_request("message can't be edited")
        return msg, self._by_id[key]

    def _apply_edit(
        self,
        msg: JSONDict,
        sent: SentMessage,
        params: JSONDict,
        field: str,
        plain: str,
        entities: list[JSONDict],
        *,
        keep_text: bool = False,
    ) -> None:
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        markup = params.get("reply_markup")
        buttons, _ = parse_buttons(markup)
        new_markup = markup if markup and "inline_keyboard" in markup else None
        entities_key = "entities" if field == "text" else "caption_entities"
        unchanged = (
            msg.get(field, "") == plain
            and msg.get(entities_key, []) == entities
            and msg.get("reply_markup") == new_markup
        )
        if unchanged:
            raise bad_request(_NOT_MODIFIED)
        msg[field] = plain
        msg.pop(entities_key, None)
        if entities:
            msg[entities_key] = entities
        msg.pop("reply_markup", None)
        if new_markup:
            msg["reply_markup"] = new_markup
        msg["edit_date"] = int(self._clock())
        if not keep_text:
            sent.history.append(sent.text)
            sent.text, sent.raw_text = plain, params.get(field, "")
            sent.parse_mode = params.get("parse_mode")
        sent.buttons, sent.reply_markup = buttons, new_markup
        sent.edits += 1
        if sent not in self.sent:  # edited after reset_record(): record it again
            self.sent.append(sent)
        self._changed(sent)

    def _media_input(self, kind: str, params: JSONDict, files: Files) -> StoredFile:
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        else:
            upload = files.get(kind)
        if upload is not None:
            filename, data = upload
            mime = mimetypes.guess_type(filename or "")[0]
            folder = "photos" if kind == "photo" else "documents"
            return self._store_file(data, filename, mime, folder)
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        if value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # we are offline
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _confirm(self, offset: Any) -> None:
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
