"""The reply composer, inline under the ticket's thread (R-UI-2): To/Cc/Bcc with completion, the
answered message quoted, canned replies, files, a draft kept as the agent types."""
