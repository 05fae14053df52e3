"""API contract samples for the api-development page: a breaking-change check between two
OpenAPI documents, and deprecation/sunset headers for an endpoint that is going away."""
