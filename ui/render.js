// The inspector: render.
