// The inspector: app.
