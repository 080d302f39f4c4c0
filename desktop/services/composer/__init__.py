"""What the reply composer needs of the engine besides sending: the whole draft kept in the
database, the addresses it may complete and how they are checked, and the quote of the
message being answered. Sending itself is :func:`desktop.services.replies.reply`."""
