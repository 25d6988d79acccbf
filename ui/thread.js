// The inspector: thread.
