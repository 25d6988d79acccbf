// The inspector: crypto.
