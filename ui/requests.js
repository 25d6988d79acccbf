// The inspector: requests.
