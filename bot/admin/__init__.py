"""The admins' side: the dispute report (phrases, settings, catalogue and team come next)."""
