"""The registry's HTML pages, one module per register plus shared helpers.

Every page starts from a `selectors.*_visible_to` / `*_editable_by` queryset for
`request.access`: a record outside the reader's scope is a 404, a role that may not use the page
at all gets a 403. Writes go through `opop.registry.services`.
"""
