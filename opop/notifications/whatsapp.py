"""wa.me links: the way programme users share news and reach sellers on WhatsApp.

WhatsApp's click-to-chat takes a phone number in international form without `+` and a
URL-encoded text; without a number it lets the user choose the chat.
"""

from urllib.parse import quote


def wa_share_url(text: str) -> str:
    return f"https://wa.me/?text={quote(text)}"


def wa_chat_url(phone_e164: str, text: str = "") -> str:
    number = phone_e164.lstrip("+")
    suffix = f"?text={quote(text)}" if text else ""
    return f"https://wa.me/{number}{suffix}"
