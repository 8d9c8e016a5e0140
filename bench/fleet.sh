#!/usr/bin/env bash
# The fleet rehearsal (bench/fleet.py): bash bench/fleet.sh [--short]
exec python3 "$(dirname "$0")/fleet.py" "$@"
