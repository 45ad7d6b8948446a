#!/usr/bin/env bash
# The README's demo command: installs dependencies, builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/apps/nst --version
echo "demo: the style-transfer engine has not landed yet (issue 5); the report above is what this machine offers."
