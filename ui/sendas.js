// The inspector: sendas.
