"""The HTTP application: the factory (``app``), its typed keys (``keys``), middlewares, rate limits, input at the
edge (``edge``), the responses every area sends (``responses``) and the static pages."""
