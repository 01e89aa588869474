#!/bin/sh
# Runs one README example (the file $1) the way a reader pastes it into a shell, but stopping
# at the first failing command or unset variable; then appends the variables named after $2 to
# the file $2 (name and value, each NUL-terminated), so the next example can use what this one
# kept (an id, a cursor). Used by readmeExamples.test.ts.
set -eu
example=$1
kept=$2
shift 2
. "$example"
for name in "$@"; do
  eval "value=\${$name}"
  printf '%s\0%s\0' "$name" "$value" >> "$kept"
done
