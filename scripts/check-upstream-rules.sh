#!/bin/sh
# Usage: scripts/check-upstream-rules.sh DIR
# Loads the upstream Falco rules files found in DIR (falco_rules.yaml, falco-incubating_rules.yaml,
# falco-sandbox_rules.yaml) alone and together and prints a summary; exit 1 on any error.
cd "$(dirname "$0")/.." || exit 2
dir=$1
case $dir in /*|'') ;; *) dir=$OLDPWD/$dir ;; esac
exec node --import tsx scripts/check-upstream-rules.mjs "$dir"
