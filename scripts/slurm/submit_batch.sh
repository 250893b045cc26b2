#!/bin/sh
# Submits a batch file (see scenario_array.sbatch) as one Slurm job array, one
# task per run, and prints the job id. Extra arguments go to sbatch (e.g.
# --partition=short --time=02:00:00).
#     scripts/slurm/submit_batch.sh CONFIG BATCH OUTDIR [sbatch options]
set -eu
if [ $# -lt 3 ]; then
    echo "usage: submit_batch.sh CONFIG BATCH OUTDIR [sbatch options]" >&2
    exit 2
fi
config=$1; batch=$2; outdir=$3; shift 3
command -v sbatch >/dev/null || { echo "submit_batch.sh: sbatch not found: is this a Slurm login node?" >&2; exit 2; }
n=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$batch" | wc -l)
[ "$n" -gt 0 ] || { echo "submit_batch.sh: $batch holds no runs" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
LANTIAN=${LANTIAN:-$here/../../build/lantian} export LANTIAN
sbatch --parsable --array=0-$((n - 1)) --export=ALL "$@" "$here/scenario_array.sbatch" \
    "$(realpath "$config")" "$(realpath "$batch")" "$(realpath -m "$outdir")"
