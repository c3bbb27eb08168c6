#!/usr/bin/env bash
# The script the CI pipeline calls; it runs the same way on a laptop.
#
#   pipeline.sh preview   change request: `pulumi preview --diff`; fails with the preview's diagnostics. The
#                         planned topology (PEERLINK_PLAN_DIAGRAM, Mermaid) and the diagnostics go to the
#                         job summary ($GITHUB_STEP_SUMMARY, shown on the pull request) when it is set
#   pipeline.sh up        main branch: `pulumi up --refresh --yes` (refresh first, so main also repairs drift)
#   pipeline.sh drift     schedule: `pulumi preview --refresh --expect-no-changes`; fails when reality drifted
#                         (--refresh reads the control plane first; without it a preview compares the
#                         program with the last recorded state only and misses out-of-band changes)
#
# Environment: PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE (or another secrets provider),
# PEERLINK_ENDPOINT and PEERLINK_API_KEY (from the CI's secret store), STACK (default: prod),
# PROJECT_DIR (default: this directory).
# Exit codes: 0 success, 1 preview or update failed, 2 usage or setup error, 3 drift detected.
set -uo pipefail

mode="${1:-}"
stack="${STACK:-prod}"
project_dir="${PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

die() { echo "pipeline: $*" >&2; exit 2; }
case "$mode" in preview|up|drift) ;; *) die "usage: pipeline.sh preview|up|drift" ;; esac
command -v pulumi >/dev/null || die "pulumi is not on PATH (in this repository: scripts/ensure-pulumi.sh prints its directory)"
[[ -n "${PULUMI_BACKEND_URL:-}" ]] || die "PULUMI_BACKEND_URL is not set"
[[ -n "${PEERLINK_ENDPOINT:-}" ]] || die "PEERLINK_ENDPOINT is not set"
[[ -n "${PEERLINK_API_KEY:-}" ]] || die "PEERLINK_API_KEY is not set (store it in the CI's secrets)"

cd "$project_dir" || die "no such project directory: $project_dir"
pulumi stack select --create "$stack" --non-interactive >/dev/null || die "could not select stack $stack"

# The job summary of a preview: the planned topology as a Mermaid diagram (GitHub draws it), then the
# preview's own output. Written whether the preview passed or not: a refused change is the one to see.
summarise() {
  local status="$1" diagram="$2" log="$3"
  [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] || return 0
  {
    if [[ "$status" -eq 0 ]]; then echo "## peerlink: the change previews cleanly (stack $stack)"
    else echo "## peerlink: the change would fail (stack $stack)"; fi
    echo
    echo "Planned topology: + create, ~ update, ± replace, - delete, ⚠ refused by the preview."
    echo
    if [[ -s "$diagram" ]]; then
      echo '```mermaid'
      cat "$diagram"
      echo '```'
    else
      echo "(no diagram: the preview stopped before any Peerlink resource was checked)"
    fi
    echo
    echo "<details$([[ "$status" -eq 0 ]] || echo ' open')><summary>pulumi preview</summary>"
    echo
    echo '```'
    cat "$log"
    echo '```'
    echo
    echo "</details>"
  } >>"$GITHUB_STEP_SUMMARY"
}

case "$mode" in
  preview)
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    diagram="${PEERLINK_PLAN_DIAGRAM:-$work/plan.mmd}"
    PEERLINK_PLAN_DIAGRAM="$diagram" pulumi preview --diff --non-interactive 2>&1 | tee "$work/preview.log"
    status="${PIPESTATUS[0]}"
    summarise "$status" "$diagram" "$work/preview.log"
    if [[ "$status" -ne 0 ]]; then
      echo "pipeline: the change would fail; fix the diagnostics above before merging" >&2
      exit 1
    fi ;;
  up)
    pulumi up --refresh --yes --non-interactive || { echo "pipeline: pulumi up failed" >&2; exit 1; } ;;
  drift)
    if ! pulumi preview --refresh --expect-no-changes --non-interactive; then
      echo "pipeline: drift detected: the stack no longer matches the control plane (or the preview failed)" >&2
      exit 3
    fi ;;
esac
echo "pipeline: $mode succeeded for stack $stack"
