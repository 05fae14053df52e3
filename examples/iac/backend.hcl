# Where the shared state lives: tofu init -backend-config=backend.hcl (main.tf has backend "s3" {}).
# The bucket exists before the first init (created once by hand or by a separate configuration),
# with versioning on, so an earlier state can be restored.
# --8<-- [start:backend]
bucket       = "bookstore-tofu-state"
key          = "bookstore/production.tfstate"
region       = "ap-southeast-3"
encrypt      = true # server-side encryption: the state holds addresses and sometimes secrets
use_lockfile = true # a lock object next to the state: two applies never run at once
# --8<-- [end:backend]
