# Sourced by the scripts: sets JAVA to a java of version 21 or newer (the default java may be older).
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
JAVA=""
for candidate in "${JAVA_HOME:-}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  if [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then JAVA="$candidate"; break; fi
done
if [ -z "$JAVA" ]; then echo "AWOOOI needs a JDK 21 or newer (none found in JAVA_HOME, PATH or /usr/lib/jvm)" >&2; exit 1; fi
export JAVA
