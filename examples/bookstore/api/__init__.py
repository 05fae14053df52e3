"""HTTP layer: routes parse and validate requests, call services, shape responses."""

# --8<-- [start:api_version]
# Every public JSON route lives under one version prefix. A breaking change (a field
# removed or renamed, a new meaning) goes to new routers under /api/v2, and /api/v1
# keeps working until its clients have moved.
API_V1 = "/api/v1"
# --8<-- [end:api_version]
