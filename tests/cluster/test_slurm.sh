#!/bin/sh
# make test-cluster (not make test: it installs and starts system daemons).
# A real single-node Slurm cluster, started here (munge, slurmctld and slurmd
# as root, the configuration written below), runs the two Slurm scripts of
# scripts/slurm/ through sbatch --wait: a 2-task job array of runs
# (submit_batch.sh) and a 2-rank MPI run (mpi_run.sbatch, the MPI build),
# whose file must equal the one-process run's bit for bit, and a 96-hour run
# whose Slurm log must show progress lines (LT_SLURM_LOG=FILE keeps a copy of
# that log). Needs root (or
# passwordless sudo) to start the daemons; installs Slurm, munge and OpenMPI
# when missing (scripts/install-deps.sh slurm). Runs with the plain build.
# The node is "localhost" on 127.0.0.1, so the machine's own host name need
# not resolve; every daemon it started is stopped by its process id when it
# ends, however it ends.
build=${LT_BUILD:-build}
if [ "$build" != build ]; then
    echo "test_slurm.sh: runs with the plain build (make test), not $build"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""
elif sudo -n true 2>/dev/null; then SUDO="sudo -n"
else
    echo "test_slurm.sh: SKIPPED: starting slurmd needs root or passwordless sudo"
    exit 0
fi
here=$PWD
tmp=$(mktemp -d /tmp/lantian-slurm-XXXXXX)
chmod 755 "$tmp"
started_munge=""
t_start=$(date +%s)
cleanup() {
    for d in slurmd slurmctld; do
        [ -f "$tmp/$d.pid" ] && $SUDO kill "$(cat "$tmp/$d.pid")" 2>/dev/null
    done
    # a daemon that died before writing its pid file, or did not read it: by its command line
    $SUDO pkill -f "$tmp/slurm.conf" 2>/dev/null
    [ -n "$started_munge" ] && [ -f "$tmp/munge/munged.pid" ] && $SUDO kill "$(cat "$tmp/munge/munged.pid")" 2>/dev/null
    sleep 1
    for d in slurmd slurmctld; do # still there after a second: killed
        [ -f "$tmp/$d.pid" ] && $SUDO kill -9 "$(cat "$tmp/$d.pid")" 2>/dev/null
    done
    rm -rf "$tmp"
    echo "test_slurm.sh: $(($(date +%s) - t_start)) s; the daemons it started are stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
check() { # name, command...
    name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then echo "[       OK ] $name"; echo "[  PASSED  ] 1 test(s)."
    else echo "[  FAILED  ] $name"; cat "$tmp/log"; echo "[  FAILED  ] 1 test(s)."; fi
}
fail() { echo "[  FAILED  ] slurm cluster: $*"; [ -f "$tmp/log" ] && cat "$tmp/log"; echo "[  FAILED  ] 1 test(s)."; exit 1; }

$SUDO sh scripts/install-deps.sh slurm >"$tmp/log" 2>&1 || fail "installing Slurm, munge and OpenMPI"
make -s MPI=1 all >"$tmp/log" 2>&1 || fail "make MPI=1"

# munge: the key from the package, the daemon unless one runs
if ! pgrep -x munged >/dev/null; then
    $SUDO mkdir -p /run/munge && $SUDO chown munge:munge /run/munge
    [ -s /etc/munge/munge.key ] || $SUDO -u munge mungekey --create >/dev/null 2>&1 ||
        fail "no munge key and mungekey could not make one"
    mkdir -p "$tmp/munge" && $SUDO chown munge:munge "$tmp/munge"
    $SUDO runuser -u munge -- /usr/sbin/munged --pid-file="$tmp/munge/munged.pid" >"$tmp/log" 2>&1 ||
        fail "starting munged"
    started_munge=1
fi
munge -n | unmunge >/dev/null 2>&1 || fail "munge does not round-trip a credential"

# the cluster: one node, this machine as localhost on 127.0.0.1 (its own host
# name may not resolve: many cloud images and containers), daemons as root,
# state in $tmp, on two ports free now (another cluster, or another run of
# this test, may hold 6817)
host=localhost
set -- $(/usr/bin/python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for k in s: k.bind(("", 0))
print(*[k.getsockname()[1] for k in s])') || fail "no free ports"
ctld_port=$1; d_port=$2
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=lantiantest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
CONF
SLURM_CONF=$tmp/slurm.conf
export SLURM_CONF
$SUDO slurmctld -f "$tmp/slurm.conf" >"$tmp/log" 2>&1 || fail "starting slurmctld"
$SUDO slurmd -N "$host" -f "$tmp/slurm.conf" >"$tmp/log" 2>&1 || fail "starting slurmd"
t0=$(date +%s)
until timeout 5 sinfo -h -o %t 2>/dev/null | grep -q idle &&
    kill -0 "$(cat "$tmp/slurmctld.pid" 2>/dev/null)" 2>/dev/null; do
    waited=$(($(date +%s) - t0))
    if [ "$waited" -gt 60 ]; then
        cat "$tmp/slurmctld.log" "$tmp/slurmd.log" > "$tmp/log" 2>/dev/null
        fail "the node did not come up: waited $waited s"
    fi
    sleep 1
done
echo "test_slurm.sh: the node came up in $(($(date +%s) - t0)) s"

# the case: the default case cut to its first 4 hours (every source type,
# chemistry, scenarios with an alert-mode re-run)
cp -r inputs/xianyang/* "$tmp/"
sed -e 's/^hours = .*/hours = 4/' -e "s#^file = ../../outputs/.*#file = $tmp/unused.nc#" \
    -e "s#\.\./policy/#$here/inputs/policy/#" inputs/xianyang/winter.ini > "$tmp/case.ini"
chmod -R a+rX "$tmp"

array_ok() { # a 2-task job array through submit_batch.sh, sbatch --wait
    printf 'base\nurban --set dispersion.curves=briggs-urban\n' > "$tmp/batch.txt"
    LANTIAN=$here/build/lantian timeout 600 sh scripts/slurm/submit_batch.sh "$tmp/case.ini" "$tmp/batch.txt" \
        "$tmp/array" --wait --time=10 --cpus-per-task=1 --output="$tmp/array-%a.out" &&
    grep -q "^output .*base.nc" "$tmp/array/base.log" && grep -q "^output .*urban.nc" "$tmp/array/urban.log" &&
    [ -s "$tmp/array/base.nc" ] && [ -s "$tmp/array/urban.nc" ] &&
    ! cmp -s "$tmp/array/base.nc" "$tmp/array/urban.nc"
}
check slurm_job_array array_ok

mpi_ok() { # a 2-rank MPI run through mpi_run.sbatch equals the one-process run
    timeout 600 sbatch --wait --time=10 --ntasks=2 --cpus-per-task=1 --output="$tmp/mpi.out" \
        --export=ALL,LANTIAN_MPI="$here/build/mpi/lantian" scripts/slurm/mpi_run.sbatch "$tmp/case.ini" \
        --set output.file="$tmp/mpi.nc" &&
    grep -q "^output .*mpi.nc" "$tmp/mpi.out" &&
    "$build/lantian" run "$tmp/case.ini" --threads 1 --set output.file="$tmp/one.nc" >/dev/null &&
    /usr/bin/python3 tests/ncsame.py "$tmp/one.nc" "$tmp/mpi.nc"
}
check slurm_mpi_run mpi_ok

progress_ok() { # a 96-hour run's Slurm log shows progress lines (stderr is no terminal there)
    sed 's/^hours = 4$/hours = 96/' "$tmp/case.ini" > "$tmp/long.ini" &&
    timeout 900 sbatch --wait --time=20 --cpus-per-task=2 --output="$tmp/long.out" \
        --wrap="$here/build/lantian run $tmp/long.ini --set output.file=$tmp/long.nc" &&
    { [ -z "$LT_SLURM_LOG" ] || cp "$tmp/long.out" "$LT_SLURM_LOG"; } &&
    grep -q "^lantian: progress [0-9]*/96 hours" "$tmp/long.out" && grep -q "^output .*long.nc" "$tmp/long.out"
}
check slurm_log_progress progress_ok
