"""The HTTP application: the factory, middlewares, rate limits, request parsing and the static pages."""
