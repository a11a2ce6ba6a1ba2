#!/usr/bin/env bash
# Validates deploy/kubernetes offline: every manifest against the Kubernetes API's schemas (kubernetes-validate
# carries them), strictly (an unknown field fails), for the newest Kubernetes it knows and for 1.29, still common;
# and every file kustomization.yaml lists exists.
set -euo pipefail
cd "$(dirname "$0")/.."
manifests=()
for file in deploy/kubernetes/*.yaml; do
    [ "$(basename "$file")" = kustomization.yaml ] || manifests+=("$file")
done
kubernetes-validate --strict --quiet "${manifests[@]}"
kubernetes-validate --strict --quiet --kubernetes-version 1.29 "${manifests[@]}"
python3 - <<'PYTHON'
import os
import sys

import yaml

listed = yaml.safe_load(open("deploy/kubernetes/kustomization.yaml"))["resources"]
missing = [name for name in listed if not os.path.exists(os.path.join("deploy/kubernetes", name))]
if missing:
    sys.exit(f"deploy/kubernetes/kustomization.yaml lists files that do not exist: {missing}")
PYTHON
