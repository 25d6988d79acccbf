// The inspector: control.
