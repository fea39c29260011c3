# Sourced by the operator's commands (approvers, trust, audit-export): when the table they need is not named in the
# environment and the local stack (scripts/local) left infra/local/target/local-stack.env, reach that stack's tables.
#   operator_tables AWOOOI_TABLES_TRUST
operator_tables() {
  if [ -z "${!1:-}" ] && [ -f infra/local/target/local-stack.env ]; then
    set -a; . infra/local/target/local-stack.env; set +a
    export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
  fi
}
# Runs one of them (a class in dev.awoooi.config) on the local build's class path.
operator_run() {
  local main="$1"; shift
  exec "$JAVA" -cp "infra/local/target/classes:$(cat infra/local/target/classpath.txt)" "dev.awoooi.config.$main" "$@"
}
