# lantian — build, run, test.
#   make          build build/lantian (installs missing Debian packages first)
#   make run      build and run the default Xianyang case
#   make test     unit, analytical, regression and bad-input tests (installs no service)
#   make test-cluster  a real single-node Slurm cluster running the batch and MPI scripts
#   make check    the same tests built with -fsanitize=address,undefined
#   make bench    plume kernel throughput (prints figures)
#   make MPI=1    the MPI build, build/mpi/lantian (mpirun -np N build/mpi/lantian run ...)
#   make install PREFIX=/usr/local

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BUILD    ?= build
PY       := /usr/bin/python3

CC       ?= cc
# make MPI=1: the MPI build (build/mpi/lantian, mpicc): hours dealt out among ranks
ifeq ($(MPI),1)
CC       := mpicc
BUILD    := build/mpi
CPPFLAGS += -DLT_MPI
endif
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unknown-pragmas
CPPFLAGS += -std=c11 -D_DEFAULT_SOURCE -Imodel -DLT_VERSION='"$(VERSION)"'
OMPFLAGS ?= -fopenmp
# errno and FP traps unused: lets the kernel's loops be vectorised (values unchanged)
FPFLAGS  := -fno-math-errno -fno-trapping-math
# HDF5 (Debian's serial build, the one netCDF uses) for writing compressed
# chunks directly; libdeflate compresses them
H5DIR    := /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/hdf5/serial
CPPFLAGS += -I/usr/include/hdf5/serial -I/usr/include/gdal
LIBS     := -lnetcdf -L$(H5DIR) -lhdf5 -ldeflate -lproj -ludunits2 -linih -lcjson -lfftw3f -lgdal -lglpk -lm
TESTLIBS := -lcmocka

# the engine's layers (docs/architecture.md): core, physics, io, policy,
# solvers, run, products; the program in app/
LAYERS   := core physics io policy solvers run products
SRC      := $(foreach l,$(LAYERS),$(wildcard model/$(l)/*.c))
HDR      := $(wildcard model/*/*.h)
APP      := $(wildcard model/app/*.c)
OBJ      := $(SRC:model/%.c=$(BUILD)/obj/%.o)
TESTS    := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TESTBIN  := $(TESTS:%=$(BUILD)/tests/%)
DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all run year test test-cluster check bench clean install deps validate report fuzz fuzz-build
.DELETE_ON_ERROR:

all: $(BUILD)/lantian

# System packages: installed by a script that says what it installs.
$(DEPS_OK): scripts/install-deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/install-deps.sh $(if $(filter 1,$(MPI)),mpi)
	@touch $@
deps: $(DEPS_OK)

$(BUILD)/obj/%.o: model/%.c $(HDR) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(OMPFLAGS) $(FPFLAGS) -c $< -o $@

$(BUILD)/liblantian.a: $(OBJ)
	ar rcs $@ $^

$(BUILD)/lantian: $(APP) $(HDR) $(BUILD)/liblantian.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(OMPFLAGS) $(FPFLAGS) $(APP) $(BUILD)/liblantian.a $(LIBS) -o $@

$(BUILD)/tests/%: tests/%.c tests/lt_test.h $(HDR) $(BUILD)/liblantian.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) $(OMPFLAGS) $(FPFLAGS) $< $(BUILD)/liblantian.a $(LIBS) $(TESTLIBS) -o $@

run: $(BUILD)/lantian
	$(BUILD)/lantian run inputs/xianyang/winter.ini

# The whole year 2017 (8760 hours) of the illustrative case, for the plan's
# annual targets: the HJ 663 table of the city and every county against them
# under the baseline and the scenarios (inputs/xianyang/year.ini).
year: $(BUILD)/lantian
	$(BUILD)/lantian run inputs/xianyang/year.ini

test: $(BUILD)/lantian $(TESTBIN)
	@sh scripts/install-deps.sh test
	@sh tests/run_tests.sh $(BUILD)

# A real single-node Slurm cluster (installs and starts munge, slurmctld and
# slurmd, stops them after): the job-array and MPI scripts of scripts/slurm/.
test-cluster: $(BUILD)/lantian
	@sh tests/cluster/test_slurm.sh

# The same tests under AddressSanitizer and UBSan, in a separate build tree.
check:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 $(MAKE) BUILD=build/asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" test

# libFuzzer harnesses of every reader (tests/fuzz/), built with clang, ASan and
# UBSan in build/fuzz, each run for FUZZ_SECONDS on a copy of its seed corpus;
# a crash leaves its input in build/fuzz/artifacts/ and fails the target.
FUZZ_SECONDS ?= 60
FUZZERS  := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZSAN  := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz-build:
	@sh scripts/install-deps.sh fuzz
	$(MAKE) BUILD=build/fuzz CC=clang OMPFLAGS= OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZSAN)" build/fuzz/liblantian.a
	@mkdir -p build/fuzz/bin
	@for f in $(FUZZERS); do \
	  clang $(CPPFLAGS) -Itests/fuzz -O1 -g -fsanitize=fuzzer $(FUZZSAN) tests/fuzz/$$f.c \
	    build/fuzz/liblantian.a $(LIBS) -o build/fuzz/bin/$$f || exit 1; done
fuzz: fuzz-build
	@sh tests/fuzz/run_fuzzers.sh build/fuzz $(FUZZ_SECONDS) $(FUZZERS)

bench: $(BUILD)/lantian
	@sh scripts/bench.sh $(BUILD)

install: $(BUILD)/lantian
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lantian
	install -m 755 $(BUILD)/lantian $(DESTDIR)$(PREFIX)/bin/lantian
	cp -r inputs scripts $(DESTDIR)$(PREFIX)/share/lantian/

clean:
	rm -rf build

# Prairie Grass validation and the analytical verification report: docs/validation.md.
validate: $(BUILD)/lantian $(TESTBIN)
	$(PY) scripts/validate_prairie_grass.py --build $(BUILD) --curves briggs-rural,similarity

# An HTML page of plots for the default case, with a sensitivity run (urban
# dispersion curves) as the comparison map: outputs/report_xianyang_winter/index.html.
report: $(BUILD)/lantian
	$(BUILD)/lantian run inputs/xianyang/winter.ini
	$(BUILD)/lantian run inputs/xianyang/winter.ini --set dispersion.curves=briggs-urban \
	  --set output.file=outputs/xianyang_winter_urban.nc
	$(PY) scripts/report.py outputs/xianyang_winter.nc \
	  --compare outputs/xianyang_winter_urban.nc --label "urban dispersion curves (sensitivity)"
