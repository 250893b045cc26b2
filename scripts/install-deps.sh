#!/bin/sh
# Installs the Debian packages lantian needs to build, test and plot, when
# they are missing. Uses apt-get, through sudo when not root. Says what it does.
# Arguments add package sets: "test" (NCO, CDO and GDAL's tools, which make
# test reads the outputs with), "mpi" (OpenMPI, for make MPI=1), "slurm" (a
# single-node Slurm with munge, for make test-cluster), "fuzz" (clang and
# libFuzzer, for make fuzz).
set -eu
pkgs="gcc make pkg-config libnetcdf-dev libhdf5-dev libdeflate-dev libproj-dev proj-data libudunits2-dev
libinih-dev libcjson-dev libfftw3-dev libgdal-dev libglpk-dev libcmocka-dev netcdf-bin python3-netcdf4 python3-numpy python3-matplotlib time fonts-wqy-microhei"
for set in "$@"; do
    case "$set" in
    test) pkgs="$pkgs nco cdo gdal-bin" ;;
    mpi) pkgs="$pkgs libopenmpi-dev openmpi-bin" ;;
    slurm) pkgs="$pkgs slurmctld slurmd slurm-client munge libopenmpi-dev openmpi-bin" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    *) echo "lantian: install-deps.sh: unknown package set '$set' (expected test, mpi, slurm or fuzz)" >&2; exit 2 ;;
    esac
done
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "lantian: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "lantian: error: packages missing ($missing) and not root, and sudo is not available" >&2
    exit 1
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "lantian: packages installed"
