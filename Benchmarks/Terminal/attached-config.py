#!/usr/bin/env python3
"""Prints the config of `qlp dash` attached to a separate `qlp emulate`.

Usage: attached-config.py REPO_CONFIG EMULATOR_PORT SCRATCH_DIR

The repository's budget (from REPO_CONFIG, config/qlp.yaml) with an azure
section pointed at the emulator on 127.0.0.1:EMULATOR_PORT; no routes, so no
gateway runs inside. The client secret is read from DOCTOR_TEST_SECRET when
qlp starts, never written here. scripts/terminal-benchmark and scripts/hot-text
use it.
"""
import sys

repo_config, port, scratch = sys.argv[1], sys.argv[2], sys.argv[3]
repo = open(repo_config).read()
budget = repo[repo.index("budget:"):repo.index("# --- The seed's service configuration")]
sub = "00000000-0000-4000-8000-0000000000de"
print(f"""azure:
  tenant_id: 72f988bf-0000-4000-8000-00000000demo
  subscription_id: {sub}
  resource_group: quantumlayer-prod
  credential: client_secret
  client_id: 535fb089-9ff3-47b6-9bfb-4f1264799865
  client_secret: "${{DOCTOR_TEST_SECRET}}"
  endpoints:
    authority: http://127.0.0.1:{port}
    management: http://127.0.0.1:{port}
    key_vault: http://127.0.0.1:{port}
    app_insights: http://127.0.0.1:{port}
  monitor:
    resources:
      - name: AKS
        id: /subscriptions/{sub}/resourceGroups/quantumlayer-prod/providers/Microsoft.ContainerService/managedClusters/qlp-aks
        metrics: [node_cpu_usage_percentage]
{budget}
dashboard:
  log_file: {scratch}/attached.log
  state_dir: {scratch}/attached-state
""")
