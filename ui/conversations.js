// The inspector: conversations.
